package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.PnpTemplatedPushTest.json;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** X-Line-Retry-Key (README §3): push, multicast, broadcast, narrowcast only; 24 h; 409 with the accepted request's ID. */
class RetryKeyTest {

    static final String PUSH = "/v2/bot/message/push";
    static final String CONFLICT = "{\"message\":\"The retry key is already accepted\"}";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    LineSandbox sandbox;
    SandboxClient client;
    final String alice = userId(1);

    @BeforeEach
    void start() {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .channel(new SandboxChannel("b", "token-b", "secret-b", null))
                .clock(clock).build());
        sandbox.addFriend("a", alice);
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    String pushBody() {
        return "{\"to\":\"" + alice + "\",\"messages\":" + text("hello") + "}";
    }

    @Test
    @DisplayName("push: a repeat within 24 h gets 409, x-line-accepted-request-id of the first, sentMessages repeated, nothing sent again")
    void pushConflict() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key);
        assertThat(first.statusCode()).isEqualTo(200);
        String firstId = first.headers().firstValue("x-line-request-id").orElseThrow();

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        HttpResponse<String> again = client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key.toUpperCase());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("x-line-accepted-request-id")).hasValue(firstId);
        assertThat(again.headers().firstValue("x-line-request-id")).isPresent().get().isNotEqualTo(firstId);
        assertThat(json(again.body()).get("message").asText()).isEqualTo("The retry key is already accepted");
        assertThat(json(again.body()).get("sentMessages")).isEqualTo(json(first.body()).get("sentMessages"));
        assertThat(sandbox.sent()).hasSize(1);
        assertThat(sandbox.usage("a")).isEqualTo(1);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("after 24 h (injected clock) the same key is a new request and sends again")
    void expiresAfter24Hours() {
        String key = UUID.randomUUID().toString();
        assertThat(client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(24));
        assertThat(client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key).statusCode()).isEqualTo(200);
        assertThat(sandbox.sent()).hasSize(2);
    }

    @Test
    @DisplayName("keys are per channel")
    void perChannel() {
        sandbox.addFriend("b", alice);
        String key = UUID.randomUUID().toString();
        assertThat(client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key).statusCode()).isEqualTo(200);
        java.util.Map<String, String> h = SandboxClient.jsonHeaders();
        h.put("Authorization", "Bearer token-b");
        h.put("X-Line-Retry-Key", key);
        assertThat(client.post(PUSH, h, pushBody()).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/bot/message/multicast", "/v2/bot/message/broadcast", "/v2/bot/message/narrowcast"})
    @DisplayName("multicast, broadcast, narrowcast: 409 {message} with the accepted id, no sentMessages, not sent again")
    void otherSends(String path) {
        String body = path.endsWith("multicast") ? "{\"to\":[\"" + alice + "\"],\"messages\":" + text("x") + "}"
                : "{\"messages\":" + text("x") + "}";
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = client.postJson(path, body, "X-Line-Retry-Key", key);
        assertThat(first.statusCode()).isBetween(200, 202);
        HttpResponse<String> again = client.postJson(path, body, "X-Line-Retry-Key", key);
        assertAnswer(again, 409, CONFLICT);
        assertThat(again.headers().firstValue("x-line-accepted-request-id")).isEqualTo(first.headers().firstValue("x-line-request-id"));
        assertThat(sandbox.sent()).hasSize(1);
    }

    @Test
    @DisplayName("a malformed key gets 400 and is not remembered")
    void malformed() {
        HttpResponse<String> r = client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", "not-a-uuid");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("message").asText()).contains("X-Line-Retry-Key");
        assertThat(sandbox.sent()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/bot/message/quota", "/v2/bot/message/quota/consumption", "/v2/bot/message/progress/narrowcast?requestId=x",
            "/v2/bot/message/delivery/pnp?date=20261126", "/v2/bot/message/delivery/pnp/templated?date=20261126"})
    @DisplayName("a retry key on any other endpoint gets 400")
    void refusedElsewhere(String path) {
        HttpResponse<String> r = client.getAuthorized(path, "X-Line-Retry-Key", UUID.randomUUID().toString());
        assertAnswer(r, 400, "{\"message\":\"The X-Line-Retry-Key header is not supported by this API\"}");
    }

    @Test
    @DisplayName("a retry key on flexible LON gets 400")
    void refusedOnFlexibleLon() {
        sandbox.directory().add(SandboxClient.TH_HASH);
        HttpResponse<String> r = client.postJson("/bot/pnp/push", "{\"to\":\"" + SandboxClient.TH_HASH + "\",\"messages\":" + text("x") + "}",
                "X-Line-Retry-Key", UUID.randomUUID().toString());
        assertAnswer(r, 400, "{\"message\":\"The X-Line-Retry-Key header is not supported by this API\"}");
    }

    @Test
    @DisplayName("a request that failed (400, 429) does not consume its key")
    void failedRequestsKeepTheKeyFree() {
        String key = UUID.randomUUID().toString();
        assertThat(client.postJson(PUSH, "{\"to\":\"" + userId(42) + "\",\"messages\":" + text("x") + "}",
                "X-Line-Retry-Key", key).statusCode()).isEqualTo(400);
        sandbox.quota("a", 0L);
        assertThat(client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key).statusCode()).isEqualTo(429);
        sandbox.quota("a", null);
        HttpResponse<String> ok = client.postJson(PUSH, pushBody(), "X-Line-Retry-Key", key);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(sandbox.sent()).hasSize(1);
    }

    @Test
    @DisplayName("50 concurrent pushes with one key (over several event loops): exactly one 200, 49 x 409 naming it, one message sent")
    void concurrentSameKey() {
        String key = UUID.randomUUID().toString();
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + PUSH))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .header("X-Line-Retry-Key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(pushBody())).build();
            futures.add(SandboxClient.HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        java.util.List<HttpResponse<String>> answers = futures.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        java.util.List<HttpResponse<String>> accepted = answers.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(accepted).hasSize(1);
        String acceptedId = accepted.get(0).headers().firstValue("x-line-request-id").orElseThrow();
        assertThat(answers.stream().filter(r -> r.statusCode() == 409)).hasSize(49)
                .allSatisfy(r -> assertThat(r.headers().firstValue("x-line-accepted-request-id")).hasValue(acceptedId));
        assertThat(sandbox.sent()).hasSize(1);
    }
}
