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

    private final RoutingContext rc;
    private final SandboxContext sandbox;
    private final Instant at;
    private final String requestId = UUID.randomUUID().toString();
    private final ChannelState channel;
    private final boolean authorizationPresent;
    private boolean answered;
    private boolean bodyRefused;

    LineCall(RoutingContext rc, SandboxContext sandbox) {
        this.rc = rc;
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

    /** The channel whose token was sent, or 401 (README §1). */
    ChannelState requireChannel() {
        if (channel == null) {
            throw new LineApiException(401, LineError.of(String.format(AUTH_FAILED, authorizationPresent ? "invalid token" : "no token")));
        }
        return channel;
    }

    /** Content-Type must be application/json (parameters such as charset allowed), else 415. */
    void requireJsonContentType() {
        String ct = rc.request().getHeader("Content-Type");
        String mediaType = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new LineApiException(415, LineError.of("The content type, " + (ct == null ? "" : ct) + ", is not supported"));
        }
    }

    /** Any X-Line-Retry-Key is refused with 400 on endpoints that do not support retry keys (README §1, §3). */
    void rejectRetryKey() {
        if (rc.request().getHeader("X-Line-Retry-Key") != null) {
            throw new LineApiException(400, LineError.of("The X-Line-Retry-Key header is not supported by this API"));
        }
    }

    /** The body was refused before it was read (413): it is recorded as null. */
    void bodyRefused() {
        bodyRefused = true;
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
                throw new LineApiException(400, LineError.of("The request body could not be parsed as JSON (line: 1, column: 1)"));
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int column = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            throw new LineApiException(400, LineError.of("The request body could not be parsed as JSON (line: " + line + ", column: " + column + ")"));
        }
    }

    /** Writes the JSON answer with a fresh x-line-request-id and records the exchange. */
    void respond(int status, Object body) {
        if (answered) {
            throw new IllegalStateException("already answered");
        }
        answered = true;
        String json;
        try {
            json = sandbox.json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sandbox.requests().add(record(rc, sandbox, at, channel, status, json, requestId, bodyRefused ? null : bodyText()));
        rc.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(REQUEST_ID, requestId)
                .end(json);
        if (LOG.isTraceEnabled()) { // per request: trace only, logging must not slow down the event loop
            LOG.trace("{} {} channel={} -> {} requestId={}", rc.request().method(), rc.request().path(),
                    channel == null ? null : channel.name(), status, requestId);
        }
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
