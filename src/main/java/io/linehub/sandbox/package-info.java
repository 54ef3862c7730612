/**
 * The LINE sandbox: an embedded, LINE-compatible HTTP server for running and testing the hub without
 * reaching LINE. Facts come from {@code /work/shared/line-api/README.md} (section numbers in the Javadoc).
 *
 * <p>Public API: {@link io.linehub.sandbox.LineSandbox} (start/stop, records), {@link io.linehub.sandbox.SandboxConfig},
 * {@link io.linehub.sandbox.SandboxChannel}, {@link io.linehub.sandbox.PhoneDirectory},
 * {@link io.linehub.sandbox.RecordedRequest}, {@link io.linehub.sandbox.SentWebhook}, and the helper
 * {@link io.linehub.sandbox.LineSignature}.
 *
 * <p>Structure, for adding endpoint families (push, multicast, broadcast, narrowcast, flexible LON, quota...):
 * <ul>
 *   <li>one {@code SandboxEndpoint} class per family, listed in {@code LineSandbox.lineEndpoints()};</li>
 *   <li>{@code SandboxContext.lineApi(...)} wraps a family's handler in a {@code LineCall}, which does what every
 *       LINE API shares (README §1): token check (401), Content-Type (415), JSON parsing (400), retry-key refusal,
 *       the {@code x-line-request-id}, LINE's error body ({@code LineError}, thrown as {@code LineApiException}) and
 *       the {@code RecordedRequest};</li>
 *   <li>{@code ChannelState} holds per-channel state (bot user ID today; quota, retry keys... later);</li>
 *   <li>{@code DeliveryWebhooks} signs and sends webhooks from one scheduler thread with the async JDK client.</li>
 * </ul>
 * Handlers run on Vert.x event loops (one HTTP server per event loop, sharing the port) and must not block.
 */
package io.linehub.sandbox;
