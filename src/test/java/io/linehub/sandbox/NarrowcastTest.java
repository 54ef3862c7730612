package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Narrowcast (202, README §5.3) and its progress (README §5.4). */
class NarrowcastTest {

    static final String NARROWCAST = "/v2/bot/message/narrowcast";
    static final String PROGRESS = "/v2/bot/message/progress/narrowcast?requestId=";
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00.250Z");

    final MutableClock clock = new MutableClock(T0);
    LineSandbox sandbox;
    SandboxClient client;

    @AfterEach
    void stop() {
        sandbox.close();
    }

    void start(SandboxConfig.Builder b, int friends) {
        sandbox = LineSandbox.start(b.channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .channel(new SandboxChannel("b", "token-b", "secret-b", null))
                .narrowcastPhases(Duration.ofSeconds(10), Duration.ofSeconds(20)).clock(clock).build());
        for (int i = 1; i <= friends; i++) {
            sandbox.addFriend("a", userId(i));
        }
        client = new SandboxClient(sandbox);
    }

    String send(String body) {
        HttpResponse<String> r = client.postJson(NARROWCAST, body);
        assertAnswer(r, 202, "{}");
        return r.headers().firstValue("x-line-request-id").orElseThrow();
    }

    @Test
    @DisplayName("202 {}, then progress waiting → sending → succeeded with counts and ISO-8601 UTC times (ms)")
    void phases() {
        start(SandboxConfig.builder(), 4);
        String id = send("{\"messages\":" + text("sale") + "}");
        assertAnswer(client.getAuthorized(PROGRESS + id), 200,
                "{\"phase\":\"waiting\",\"acceptedTime\":\"2026-11-27T10:00:00.250Z\"}");
        clock.advance(Duration.ofSeconds(20)); // half way through sending
        assertAnswer(client.getAuthorized(PROGRESS + id), 200,
                "{\"phase\":\"sending\",\"successCount\":2,\"failureCount\":0,\"targetCount\":4,\"acceptedTime\":\"2026-11-27T10:00:00.250Z\"}");
        clock.advance(Duration.ofSeconds(10));
        assertAnswer(client.getAuthorized(PROGRESS + id), 200,
                "{\"phase\":\"succeeded\",\"successCount\":4,\"failureCount\":0,\"targetCount\":4,"
                        + "\"acceptedTime\":\"2026-11-27T10:00:00.250Z\",\"completedTime\":\"2026-11-27T10:00:30.250Z\"}");
        assertThat(sandbox.usage("a")).isEqualTo(4);
        assertThat(sandbox.sent()).singleElement().satisfies(s -> assertThat(s.recipients()).hasSize(4));
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("limit.max caps the target count")
    void limitMax() {
        start(SandboxConfig.builder(), 4);
        String id = send("{\"messages\":" + text("sale") + ",\"limit\":{\"max\":3}}");
        clock.advance(Duration.ofMinutes(1));
        assertThat(PnpTemplatedPushTest.json(client.getAuthorized(PROGRESS + id).body()).get("targetCount").asInt()).isEqualTo(3);
        assertThat(sandbox.usage("a")).isEqualTo(3);
    }

    @Test
    @DisplayName("configured errorCode: ends failed with errorCode and failedDescription; nothing counted")
    void configuredFailure() {
        start(SandboxConfig.builder().narrowcastErrorCode(1), 4);
        String id = send("{\"messages\":" + text("sale") + "}");
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> r = client.getAuthorized(PROGRESS + id);
        assertAnswer(r, 200, "{\"phase\":\"failed\",\"successCount\":0,\"failureCount\":0,\"targetCount\":4,"
                + "\"failedDescription\":\"An internal error occurred\",\"errorCode\":1,"
                + "\"acceptedTime\":\"2026-11-27T10:00:00.250Z\",\"completedTime\":\"2026-11-27T10:00:30.250Z\"}");
        assertThat(sandbox.usage("a")).isZero();
        sandbox.narrowcastErrorCode(null);
        String ok = send("{\"messages\":" + text("sale") + "}");
        clock.advance(Duration.ofSeconds(30));
        assertThat(client.getAuthorized(PROGRESS + ok).body()).contains("\"succeeded\"");
    }

    @Test
    @DisplayName("with a filter and fewer than 50 recipients it fails with errorCode 2 after 202")
    void tooFewRecipients() {
        start(SandboxConfig.builder(), 3);
        String id = send("{\"messages\":" + text("sale") + ",\"filter\":{\"demographic\":{\"type\":\"gender\",\"oneOf\":[\"female\"]}}}");
        clock.advance(Duration.ofSeconds(30));
        assertThat(PnpTemplatedPushTest.json(client.getAuthorized(PROGRESS + id).body()).get("errorCode").asInt()).isEqualTo(2);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("unknown request id, another channel's id, or older than 14 days: 404 {\"message\":\"Not found\"}; no id: 400")
    void notFound() {
        start(SandboxConfig.builder(), 1);
        String id = send("{\"messages\":" + text("sale") + "}");
        assertAnswer(client.getAuthorized(PROGRESS + "1d3c5b2e-0000-0000-0000-000000000000"), 404, "{\"message\":\"Not found\"}");
        java.net.http.HttpRequest other = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + PROGRESS + id))
                .header("Authorization", "Bearer token-b").GET().build();
        assertAnswer(SandboxClient.send(other), 404, "{\"message\":\"Not found\"}");
        clock.advance(Duration.ofDays(14).minusMillis(1));
        assertThat(client.getAuthorized(PROGRESS + id).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMillis(1));
        assertAnswer(client.getAuthorized(PROGRESS + id), 404, "{\"message\":\"Not found\"}");
        assertAnswer(client.getAuthorized("/v2/bot/message/progress/narrowcast"), 400,
                "{\"message\":\"The value for the 'requestId' parameter is invalid\"}");
    }

    @Test
    @DisplayName("a narrowcast without messages is refused by LINE's schema")
    void invalid() {
        start(SandboxConfig.builder(), 1);
        assertAnswer(client.postJson(NARROWCAST, "{\"limit\":{\"max\":0},\"messages\":" + text("x") + "}"), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"Numeric instance is lower than the required minimum (minimum: 1, found: 0)\",\"property\":\"limit.max\"}]}");
        assertAnswer(client.postJson(NARROWCAST, "{}"), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"messages\"}]}");
    }
}
