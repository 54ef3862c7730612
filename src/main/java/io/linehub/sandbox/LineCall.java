package io.linehub.sandbox;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One request to a LINE endpoint: the shared checks every LINE API applies (README §1), the
 * {@code x-line-request-id} and JSON answer, and the {@link RecordedRequest}.
 */
final class LineCall {

    private static final Logger LOG = LoggerFactory.getLogger(LineCall.class);

    static final String REQUEST_ID = "x-line-request-id";
    private static final String AUTH_FAILED = "Authentication failed due to the following reason: %s. "
            + "Confirm that the access token in the authorization header is valid.";

    static final String ACCEPTED_REQUEST_ID = "x-line-accepted-request-id";
    static final String RETRY_KEY = "X-Line-Retry-Key";
    private static final java.util.regex.Pattern UUID_FORM =
            java.util.regex.Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final RoutingContext rc;
    private final SandboxContext sandbox;
    private final ApiPath endpoint;
    private Faults.Fault afterEffect = Faults.Fault.NONE;
    private java.time.Duration timeoutHold = java.time.Duration.ZERO;
    private final Instant at;
    private final String requestId = UUID.randomUUID().toString();
    private final ChannelState channel;
    private final boolean authorizationPresent;
    private boolean answered;
    private boolean bodyRefused;

    LineCall(RoutingContext rc, SandboxContext sandbox) {
        this(rc, sandbox, null);
    }

    LineCall(RoutingContext rc, SandboxContext sandbox, ApiPath endpoint) {
        this.rc = rc;
        this.endpoint = endpoint;
        this.sandbox = sandbox;
        this.at = sandbox.config().clock().instant();
        String authorization = rc.request().getHeader("Authorization");
        this.authorizationPresent = authorization != null && !authorization.isBlank();
        this.channel = sandbox.channelByToken(bearerToken(authorization));
    }

    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.length() > 7 && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).strip();
        }
        return null;
    }

    SandboxContext sandbox() {
        return sandbox;
    }

    String requestId() {
        return requestId;
    }

    Instant at() {
        return at;
    }

    ApiPath endpoint() {
        return endpoint;
    }

    /** The fault to apply once the request has taken effect (set by the pipeline). */
    void afterEffect(Faults.Fault fault, java.time.Duration hold) {
        this.afterEffect = fault;
        this.timeoutHold = hold;
    }

    /** Content-Type, JSON body and retry-key header checks of a POST endpoint, in LINE's order. */
    JsonNode jsonRequest() {
        requireJsonContentType();
        JsonNode root = jsonBody();
        retryKey();
        return root;
    }

    /**
     * The X-Line-Retry-Key (lower-cased), or null when none was sent. 400 when the endpoint does not support
     * retry keys (README §3) or the value is not a UUID in hexadecimal form.
     */
    String retryKey() {
        String key = rc.request().getHeader(RETRY_KEY);
        if (key == null) {
            return null;
        }
        if (endpoint == null || !endpoint.acceptsRetryKey()) {
            rejectRetryKey();
        }
        if (!UUID_FORM.matcher(key.strip()).matches()) {
            throw new ErrorAnswer(400, LineError.of("The X-Line-Retry-Key header must be a UUID in hexadecimal format "
                    + "(e.g. 123e4567-e89b-12d3-a456-426614174000)"));
        }
        return key.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Validates the request against LINE's OpenAPI files (when {@link SandboxConfig#validateRequests()}): 400
     * "The property, X, in the request body is invalid" for a value of the wrong JSON type, else
     * "The request body has N error(s)" with details, or the first parameter error.
     */
    void validateSchema() {
        if (!sandbox.config().validateRequests()) {
            return;
        }
        Map<String, String> headers = new java.util.HashMap<>();
        for (Map.Entry<String, String> h : rc.request().headers()) {
            headers.putIfAbsent(h.getKey(), h.getValue());
        }
        String body = "GET".equals(rc.request().method().name()) ? null : bodyText();
        java.util.List<LineSchemas.Violation> violations =
                LineSchemas.validate(rc.request().method().name(), rc.request().uri(), headers, body);
        if (violations.isEmpty()) {
            return;
        }
        for (LineSchemas.Violation v : violations) {
            if (LineSchemas.TYPE_KEY.equals(v.key()) && v.property() != null) {
                throw PnpTemplatedPushEndpoint.invalidProperty(v.property());
            }
        }
        java.util.List<LineError.Detail> details = violations.stream().filter(LineSchemas.Violation::inBody)
                .map(LineSchemas.Violation::toDetail).toList();
        if (!details.isEmpty()) {
            throw new ErrorAnswer(400, LineError.bodyErrors(details));
        }
        throw new ErrorAnswer(400, LineError.of(violations.get(0).message()));
    }

    /** The channel whose token was sent, or 401 (README §1). */
    ChannelState requireChannel() {
        if (channel == null) {
            throw new ErrorAnswer(401, LineError.of(String.format(AUTH_FAILED, authorizationPresent ? "invalid token" : "no token")));
        }
        return channel;
    }

    /** Content-Type must be application/json (parameters such as charset allowed), else 415. */
    void requireJsonContentType() {
        String ct = rc.request().getHeader("Content-Type");
        String mediaType = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new ErrorAnswer(415, LineError.of("The content type, " + (ct == null ? "" : ct) + ", is not supported"));
        }
    }

    /** Any X-Line-Retry-Key is refused with 400 on endpoints that do not support retry keys (README §1, §3). */
    void rejectRetryKey() {
        if (rc.request().getHeader("X-Line-Retry-Key") != null) {
            throw new ErrorAnswer(400, LineError.of("The X-Line-Retry-Key header is not supported by this API"));
        }
    }

    /** The body was refused before it was read (413): it is recorded as null. */
    void bodyRefused() {
        bodyRefused = true;
    }

    String queryParam(String name) {
        return rc.request().getParam(name);
    }

    String header(String name) {
        return rc.request().getHeader(name);
    }

    String bodyText() {
        Buffer b = rc.body() == null ? null : rc.body().buffer();
        return b == null ? "" : b.toString(StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON, or 400 "could not be parsed as JSON (line: L, column: C)". */
    JsonNode jsonBody() {
        String text = bodyText();
        try {
            JsonNode node = sandbox.json.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ErrorAnswer(400, LineError.of("The request body could not be parsed as JSON (line: 1, column: 1)"));
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int column = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            throw new ErrorAnswer(400, LineError.of("The request body could not be parsed as JSON (line: " + line + ", column: " + column + ")"));
        }
    }

    /** Writes the JSON answer with a fresh x-line-request-id and records the exchange. */
    void respond(int status, Object body) {
        respond(status, body, Map.of());
    }

    /**
     * Writes the JSON answer with a fresh x-line-request-id (and {@code headers}) and records the exchange.
     * A successful answer is replaced by the "after effect" fault drawn for this request, if any.
     */
    void respond(int status, Object body, Map<String, String> headers) {
        if (answered) {
            throw new IllegalStateException("already answered");
        }
        if (status >= 200 && status < 300 && afterEffect == Faults.Fault.SERVER_ERROR_AFTER_EFFECT) {
            status = 500;
            body = LineError.of("Internal server error");
            headers = Map.of();
        } else if (status >= 200 && status < 300 && afterEffect == Faults.Fault.TIMEOUT_AFTER_EFFECT) {
            hold(timeoutHold);
            return;
        }
        answered = true;
        String json;
        try {
            json = sandbox.json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sandbox.requests().add(record(rc, sandbox, at, channel, status, json, requestId, bodyRefused ? null : bodyText()));
        if (rc.response().closed() || rc.response().ended()) {
            return; // the client gave up (e.g. during injected latency)
        }
        rc.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(REQUEST_ID, requestId);
        headers.forEach(rc.response()::putHeader);
        rc.response().end(json);
        if (LOG.isTraceEnabled()) { // per request: trace only, logging must not slow down the event loop
            LOG.trace("{} {} channel={} -> {} requestId={}", rc.request().method(), rc.request().path(),
                    channel == null ? null : channel.name(), status, requestId);
        }
    }

    /** Injected fault: close the connection at once with a TCP reset, no answer (recorded with status 0). */
    void reset() {
        answered = true;
        sandbox.requests().add(record(rc, sandbox, at, channel, 0, null, requestId, bodyText()));
        io.vertx.core.http.HttpConnection connection = rc.request().connection();
        try {
            if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
                base.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            }
        } catch (RuntimeException e) {
            LOG.debug("SO_LINGER not settable; closing normally", e);
        }
        connection.close();
    }

    /** Injected fault: never answer; close the connection after {@code hold} unless the client gives up first (status 0). */
    void hold(java.time.Duration hold) {
        answered = true;
        sandbox.requests().add(record(rc, sandbox, at, channel, 0, null, requestId, bodyText()));
        io.vertx.core.http.HttpConnection connection = rc.request().connection();
        long timer = rc.vertx().setTimer(Math.max(1, hold.toMillis()), t -> connection.close());
        connection.closeHandler(v -> rc.vertx().cancelTimer(timer));
    }

    static RecordedRequest record(RoutingContext rc, SandboxContext sandbox, Instant at, ChannelState channel,
                                  int status, String responseBody, String requestId, String requestBody) {
        HttpServerRequest req = rc.request();
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : req.headers()) {
            String value = h.getKey().equalsIgnoreCase("Authorization") ? "Bearer ***" : h.getValue();
            headers.merge(h.getKey(), value, (a, b) -> a + ", " + b);
        }
        return new RecordedRequest(at, channel == null ? null : channel.name(), req.method().name(), req.uri(),
                Collections.unmodifiableMap(headers), requestBody, status, responseBody, requestId);
    }
}
