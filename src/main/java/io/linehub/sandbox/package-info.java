/**
 * The LINE sandbox: an embedded, LINE-compatible HTTP server for running and testing the hub without
 * reaching LINE. Facts come from {@code /work/shared/line-api/README.md} (section numbers in the Javadoc).
 *
 * <p>Public API: {@link io.linehub.sandbox.LineSandbox} (start/stop, records, friend list, quota, faults,
 * follow/unfollow webhooks, per-second counts), {@link io.linehub.sandbox.SandboxConfig},
 * {@link io.linehub.sandbox.SandboxChannel}, {@link io.linehub.sandbox.PhoneDirectory},
 * {@link io.linehub.sandbox.ApiPath}, {@link io.linehub.sandbox.EndpointRateLimit}, {@link io.linehub.sandbox.Faults},
 * {@link io.linehub.sandbox.RecordedRequest}, {@link io.linehub.sandbox.SentMessage},
 * {@link io.linehub.sandbox.SentWebhook}, and the helpers {@link io.linehub.sandbox.WebhookSigner} and
 * {@link io.linehub.sandbox.LineSchemas} (request validation against LINE's OpenAPI files).
 *
 * <p>Names: the sandbox plays LINE, so its classes are named for what they are on LINE's side and never share a
 * name with the hub's client in {@code io.linehub.line}: a served path is an {@code ApiPath} (the client calls a
 * {@code LineOperation}), an error the sandbox answers with is an {@code ErrorAnswer} (the client receives a
 * {@code LineApiException}), the sandbox signs webhooks with {@code WebhookSigner} (the hub verifies them with
 * {@code LineSignature}), and LINE's limit per endpoint is an {@code EndpointRateLimit}. The sandbox imports nothing
 * of the hub but {@code io.linehub.json}.
 *
 * <p>Endpoints served (README §4.4–§7): template and flexible LON, push, multicast, broadcast, narrowcast and its
 * progress, quota, quota consumption, sent counts (LON template/flexible, push, multicast, broadcast). Every other
 * path answers 404, another method 405.
 *
 * <p>Order of the checks for every request to a LINE endpoint ({@code SandboxContext.lineApi}): injected latency →
 * token (401) → rate limit (429 "Too many requests"; the request is counted either way) → injected faults that act
 * before effect (reset, timeout, 500) → the family's handler: Content-Type (415), JSON (400), X-Line-Retry-Key
 * (400 where unsupported or malformed), hand checks with LINE's exact messages, OpenAPI validation
 * ({@link io.linehub.sandbox.LineSchemas}; 400 in LINE's error format), the family's own rules (e.g. 400 "Failed to
 * send messages", 422), then {@code SandboxContext.commit}: retry key (409), monthly quota (429), sent counts and the
 * {@link io.linehub.sandbox.SentMessage} record — and the answer, which an "after effect" fault may replace.
 *
 * <p>Structure, for adding endpoint families:
 * <ul>
 *   <li>one {@code SandboxEndpoint} class per family, listed in {@code LineSandbox.lineEndpoints()}, each endpoint in
 *       {@link io.linehub.sandbox.ApiPath} (path, method, LINE's rate limit, retry-key support);</li>
 *   <li>{@code SandboxContext.lineApi(endpoint, handler)} wraps a handler in a {@code LineCall}, which does what every
 *       LINE API shares (README §1): token, Content-Type, JSON, retry-key header, schema validation, the
 *       {@code x-line-request-id}, LINE's error body ({@code LineError}, thrown as {@code ErrorAnswer}) and
 *       the {@code RecordedRequest};</li>
 *   <li>{@code ChannelState} holds per-channel state: friend list (following / blocked), groups, quota and usage,
 *       retry keys, narrowcasts, per-day counts; {@code RateLimits} the per-channel, per-endpoint windows;</li>
 *   <li>{@code DeliveryWebhooks} signs and sends webhooks (delivery, follow, unfollow) from one scheduler thread
 *       with the async JDK client; delivery events that fall due together share a request, as LINE's do
 *       ({@link io.linehub.sandbox.SandboxConfig#webhookBatchMax()}, {@link io.linehub.sandbox.SandboxConfig#webhookBatchWindow()}).</li>
 * </ul>
 * Handlers run on Vert.x event loops (one HTTP server per event loop, sharing the port) and must not block;
 * shared state is in concurrent maps and atomics.
 */
package io.linehub.sandbox;
