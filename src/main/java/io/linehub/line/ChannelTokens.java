package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * LINE's short-lived (stateless) channel access tokens for channels configured with a channel ID and secret
 * (README §9): issued with {@code POST /oauth2/v3/token} ({@code grant_type=client_credentials}, the channel ID and
 * secret, form-encoded), held in memory only, and renewed before they expire: once a token has lived all but
 * {@link #margin} of its {@code expires_in}, the next request still uses it while a new one is issued in the background;
 * a request finding none valid waits for one. Concurrent requests share one issuance. When LINE refuses a token anyway
 * (401: it expired early, or the clocks disagree) {@link #renewAfterRefusal} issues a new one, once, for the producer to
 * resend with. Never logs a token or a secret.
 */
final class ChannelTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTokens.class);
    static final String PATH = "/oauth2/v3/token";

    /** A token and, on the monotonic clock, when it is renewed and when it is no longer used. */
    private record Issued(String token, long renewAtNanos, long expiresAtNanos) {
    }

    private final LineClient client;
    private final Map<String, Issued> current = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Issued>> issuing = new ConcurrentHashMap<>();

    ChannelTokens(LineClient client) {
        this.client = client;
    }

    /** How long before its end a token is renewed: a quarter of its life, at most a minute (LINE's: at 14 of 15 minutes). */
    static long margin(long lifetimeNanos) {
        return Math.min(TimeUnit.MINUTES.toNanos(1), lifetimeNanos / 4);
    }

    /** The token to send for the channel: its configured one, or an issued one that is still valid (issuing one if needed). */
    CompletableFuture<String> token(LineChannel channel) {
        if (!channel.issuesTokens()) {
            return CompletableFuture.completedFuture(channel.accessToken());
        }
        Issued t = current.get(channel.name());
        long now = System.nanoTime();
        if (t != null && now - t.renewAtNanos() < 0) {
            return CompletableFuture.completedFuture(t.token());
        }
        if (t != null && now - t.expiresAtNanos() < 0) {
            issue(channel); // renewal under way; this one is still good
            return CompletableFuture.completedFuture(t.token());
        }
        return issue(channel).thenApply(Issued::token);
    }

    /** LINE refused {@code refused} with 401: a token issued after it (by this call or another). */
    CompletableFuture<String> renewAfterRefusal(LineChannel channel, String refused) {
        Issued t = current.get(channel.name());
        if (t != null && !t.token().equals(refused)) {
            return CompletableFuture.completedFuture(t.token());
        }
        if (t != null) {
            current.remove(channel.name(), t);
        }
        LOG.info("line: channel {}: LINE refused its access token (401); issuing a new one", channel.name());
        return issue(channel).thenApply(Issued::token);
    }

    private CompletableFuture<Issued> issue(LineChannel channel) {
        CompletableFuture<Issued> mine = new CompletableFuture<>();
        CompletableFuture<Issued> running = issuing.putIfAbsent(channel.name(), mine);
        if (running != null) {
            return running;
        }
        LineClient.Request request;
        try {
            request = request(channel);
        } catch (RuntimeException e) {
            issuing.remove(channel.name(), mine);
            mine.completeExceptionally(e);
            return mine;
        }
        long sent = System.nanoTime();
        client.send(request, new LineClient.Timing()).whenComplete((response, failure) -> {
            try {
                Issued issued = issued(channel, response, failure, sent);
                current.put(channel.name(), issued);
                mine.complete(issued);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                issuing.remove(channel.name(), mine);
            }
        });
        return mine;
    }

    private static Issued issued(LineChannel channel, LineClient.Response response, Throwable failure, long sentNanos) {
        if (failure != null) {
            LOG.warn("line: channel {}: no channel access token: LINE could not be reached ({})", channel.name(), failure.getClass().getSimpleName());
            throw notIssued(0, "LINE could not be reached", null, LineErrorKind.RETRYABLE, failure);
        }
        if (response.statusCode() != 200) {
            // the token endpoint answers {"error", "error_description"}; neither repeats the secret
            String why = describe(response.body());
            LOG.warn("line: channel {}: no channel access token: LINE answered {} {}", channel.name(), response.statusCode(), why);
            throw notIssued(response.statusCode(), why, response.requestId(), LineErrors.classify(response.statusCode(), why), null);
        }
        JsonNode answer;
        try {
            answer = Json.read(response.body());
        } catch (RuntimeException e) {
            throw notIssued(200, "the token answer is not JSON", response.requestId(), LineErrorKind.RETRYABLE, null);
        }
        String token = answer.path("access_token").asText("");
        long expiresIn = answer.path("expires_in").asLong(0);
        if (token.isBlank() || expiresIn <= 0) {
            throw notIssued(200, "the token answer has no access_token or expires_in", response.requestId(), LineErrorKind.RETRYABLE, null);
        }
        long lifetime = TimeUnit.SECONDS.toNanos(expiresIn);
        LOG.info("line: channel {}: channel access token issued, valid {} s", channel.name(), expiresIn);
        // counted from when the request left: the token's life at LINE began no earlier
        return new Issued(token, sentNanos + lifetime - margin(lifetime), sentNanos + lifetime - Math.min(margin(lifetime), TimeUnit.SECONDS.toNanos(5)));
    }

    private static String describe(String body) {
        try {
            JsonNode n = Json.read(body);
            String error = n.path("error").asText(n.path("message").asText(""));
            String description = n.path("error_description").asText("");
            return (error + (description.isEmpty() ? "" : ": " + description)).trim();
        } catch (RuntimeException e) {
            return "(no readable error)";
        }
    }

    /** The request was never sent (no token to send it with): safe to send again, whatever the operation. */
    private static LineApiException notIssued(int status, String why, String requestId, LineErrorKind kind, Throwable cause) {
        return new LineApiException(status, "no channel access token could be issued: " + why, List.of(), requestId, kind, true, cause);
    }

    private static LineClient.Request request(LineChannel channel) {
        URI base = channel.baseUrl();
        boolean ssl = "https".equalsIgnoreCase(base.getScheme());
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().endsWith("/") ? base.getRawPath().substring(0, base.getRawPath().length() - 1)
                : base.getRawPath();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setSsl(ssl)
                .setHost(base.getHost())
                .setPort(base.getPort() != -1 ? base.getPort() : ssl ? 443 : 80)
                .setURI(basePath + PATH)
                .setIdleTimeout(10_000)
                .putHeader("Content-Type", "application/x-www-form-urlencoded");
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(channel.channelId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(channel.channelSecret(), StandardCharsets.UTF_8);
        return new LineClient.Request(options, form);
    }
}
