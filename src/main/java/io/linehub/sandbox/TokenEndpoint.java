package io.linehub.sandbox;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /oauth2/v3/token} (README §9): issues a stateless channel access token to a channel configured with a
 * channel ID, for {@code grant_type=client_credentials&client_id=…&client_secret=…} (form-encoded, checked against
 * LINE's {@code channel-access-token.yml} by {@link LineSchemas#validateForm}). The token is valid for
 * {@link SandboxConfig#tokenLifetime()} (LINE: 900 s) on the sandbox's clock; past that every endpoint answers 401, as
 * LINE does. JWT assertions are not supported (400 invalid_client). The request log keeps neither secret nor token.
 */
final class TokenEndpoint implements SandboxEndpoint {

    static final String PATH = "/oauth2/v3/token";

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.post(PATH).handler(rc -> issue(rc, sandbox));
    }

    private static void issue(RoutingContext rc, SandboxContext sandbox) {
        Instant at = sandbox.config().clock().instant();
        String contentType = rc.request().getHeader("Content-Type");
        String media = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/x-www-form-urlencoded")) {
            answer(rc, sandbox, at, null, 400, error("invalid_request", "The content type must be application/x-www-form-urlencoded."));
            return;
        }
        Map<String, String> form = form(rc.body() == null ? "" : rc.body().asString(StandardCharsets.UTF_8.name()));
        List<LineSchemas.Violation> violations = LineSchemas.validateForm("POST", PATH, form);
        if (!violations.isEmpty()) {
            LineSchemas.Violation v = violations.get(0);
            answer(rc, sandbox, at, null, 400, error("invalid_request", v.property() == null ? v.message() : v.property() + ": " + v.message()));
            return;
        }
        if (form.containsKey("client_assertion")) {
            answer(rc, sandbox, at, null, 400, error("invalid_client", "JWT assertions are not supported by the sandbox; use client_id and client_secret."));
            return;
        }
        ChannelState channel = sandbox.channelById(form.get("client_id"));
        if (channel == null || !java.security.MessageDigest.isEqual(channel.channel().channelSecret().getBytes(StandardCharsets.UTF_8),
                form.get("client_secret").getBytes(StandardCharsets.UTF_8))) {
            answer(rc, sandbox, at, channel, 400, error("invalid_request", "Invalid 'client_credentials'."));
            return;
        }
        long lifetime = sandbox.config().tokenLifetime().toSeconds();
        String token = sandbox.issueToken(channel, at.plus(sandbox.config().tokenLifetime()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("access_token", token);
        body.put("expires_in", Math.max(1, lifetime));
        answer(rc, sandbox, at, channel, 200, body);
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            try {
                out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException bad) {
                out.putIfAbsent("(undecodable)", "");
            }
        }
        return out;
    }

    /** Answers and records the call without the secret (request) and the token (answer). */
    private static void answer(RoutingContext rc, SandboxContext sandbox, Instant at, ChannelState channel, int status, Map<String, Object> body) {
        String requestId = java.util.UUID.randomUUID().toString();
        String json;
        try {
            json = sandbox.json.writeValueAsString(body);
            Map<String, Object> logged = new LinkedHashMap<>(body);
            logged.computeIfPresent("access_token", (k, v) -> "***");
            sandbox.requests().add(LineCall.record(rc, sandbox, at, channel, status, sandbox.json.writeValueAsString(logged), requestId,
                    "grant_type, client_id, client_secret=***"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (rc.response().closed() || rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader(LineCall.REQUEST_ID, requestId).end(json);
    }
}
