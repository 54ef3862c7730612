package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rate limits per channel and endpoint (README §2). */
class RateLimitTest {

    static final String PUSH = "/v2/bot/message/push";
    static final String TOO_MANY = "{\"message\":\"Too many requests\"}";
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00.100Z");

    final MutableClock clock = new MutableClock(T0);
    LineSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    SandboxClient start(SandboxConfig.Builder b) {
        sandbox = LineSandbox.start(b.channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .channel(new SandboxChannel("b", "token-b", "secret-b", null)).clock(clock).build());
        sandbox.addFriend("a", userId(1));
        return new SandboxClient(sandbox);
    }

    @Test
    @DisplayName("defaults are LINE's: 2,000/s for push, multicast, LONs, progress, quota, stats; 60/hour for broadcast, narrowcast")
    void defaults() {
        SandboxConfig c = SandboxConfig.builder().build();
        for (ApiPath e : ApiPath.values()) {
            EndpointRateLimit expected = e == ApiPath.BROADCAST || e == ApiPath.NARROWCAST ? EndpointRateLimit.perHour(60) : EndpointRateLimit.perSecond(2000);
            assertThat(c.rateLimit(e)).as(e.name()).isEqualTo(expected);
        }
        assertThat(c.validateRequests()).isTrue();
    }

    @Test
    @DisplayName("limit+1 requests in one (fixed) second: the last gets 429 {\"message\":\"Too many requests\"}; the next second is fresh")
    void perSecond() {
        SandboxClient client = start(SandboxConfig.builder().rateLimit(ApiPath.PUSH, EndpointRateLimit.perSecond(3)));
        String body = "{\"to\":\"" + userId(1) + "\",\"messages\":" + text("x") + "}";
        for (int i = 0; i < 3; i++) {
            assertThat(client.postJson(PUSH, body).statusCode()).isEqualTo(200);
        }
        assertAnswer(client.postJson(PUSH, body), 429, TOO_MANY);
        // other endpoints and other channels have their own budget
        assertThat(client.getAuthorized("/v2/bot/message/quota").statusCode()).isEqualTo(200);
        java.util.Map<String, String> hb = SandboxClient.jsonHeaders();
        hb.put("Authorization", "Bearer token-b");
        assertThat(client.post(PUSH, hb, body).statusCode()).isEqualTo(400); // unknown user on b, but not 429
        // also bad requests count
        assertAnswer(client.postJson(PUSH, "{}"), 429, TOO_MANY);

        clock.advance(Duration.ofMillis(900)); // 10:00:01.000: a new window
        assertThat(client.postJson(PUSH, body).statusCode()).isEqualTo(200);

        long s0 = T0.getEpochSecond();
        assertThat(sandbox.countsPerSecond("a", PUSH)).isEqualTo(Map.of(s0, 5, s0 + 1, 1));
        assertThat(sandbox.countsPerSecond("b", PUSH)).isEqualTo(Map.of(s0, 1));
        assertThat(sandbox.sent()).hasSize(4);
    }

    @Test
    @DisplayName("per-hour limits slide: the 3rd broadcast within an hour gets 429, one hour after the first it passes")
    void perHourSliding() {
        SandboxClient client = start(SandboxConfig.builder().rateLimit(ApiPath.BROADCAST, EndpointRateLimit.perHour(2)));
        String body = "{\"messages\":" + text("x") + "}";
        assertThat(client.postJson("/v2/bot/message/broadcast", body).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(30));
        assertThat(client.postJson("/v2/bot/message/broadcast", body).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(29));
        assertAnswer(client.postJson("/v2/bot/message/broadcast", body), 429, TOO_MANY);
        clock.advance(Duration.ofMinutes(1)); // the first is now an hour old
        assertThat(client.postJson("/v2/bot/message/broadcast", body).statusCode()).isEqualTo(200);
        assertAnswer(client.postJson("/v2/bot/message/broadcast", body), 429, TOO_MANY);
        assertThat(sandbox.sent()).hasSize(3);
    }

    @Test
    @DisplayName("a retried request with the same key counts as a new request against the limit")
    void retriesCount() {
        SandboxClient client = start(SandboxConfig.builder().rateLimit(ApiPath.PUSH, EndpointRateLimit.perSecond(2)));
        String body = "{\"to\":\"" + userId(1) + "\",\"messages\":" + text("x") + "}";
        String key = java.util.UUID.randomUUID().toString();
        assertThat(client.postJson(PUSH, body, "X-Line-Retry-Key", key).statusCode()).isEqualTo(200);
        assertThat(client.postJson(PUSH, body, "X-Line-Retry-Key", key).statusCode()).isEqualTo(409);
        assertThat(client.postJson(PUSH, body, "X-Line-Retry-Key", key).statusCode()).isEqualTo(429);
    }

    @Test
    @DisplayName("countsPerSecond refuses unknown channels and paths")
    void countsArguments() {
        start(SandboxConfig.builder());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.countsPerSecond("zz", PUSH)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.countsPerSecond("a", "/nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(sandbox.countsPerSecond("a", PUSH)).isEmpty();
    }

    @Test
    @DisplayName("60 concurrent requests against 10/s in one second: exactly 10 pass, 50 get 429, and countsPerSecond says 60")
    void concurrentBudget() {
        SandboxClient client = start(SandboxConfig.builder().rateLimit(ApiPath.QUOTA, EndpointRateLimit.perSecond(10)));
        java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/v2/bot/message/quota"))
                    .header("Authorization", "Bearer " + TOKEN).GET().build();
            futures.add(SandboxClient.HTTP.sendAsync(req, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Map<Integer, Long> byStatus = futures.stream().map(java.util.concurrent.CompletableFuture::join)
                .collect(java.util.stream.Collectors.groupingBy(java.net.http.HttpResponse::statusCode, java.util.stream.Collectors.counting()));
        assertThat(byStatus).isEqualTo(Map.of(200, 10L, 429, 50L));
        assertThat(sandbox.countsPerSecond("a", ApiPath.QUOTA)).isEqualTo(Map.of(T0.getEpochSecond(), 60));
        assertThat(client).isNotNull();
    }

    @Test
    @DisplayName("new SandboxConfig options have documented defaults")
    void newDefaults() {
        SandboxConfig c = SandboxConfig.builder().build();
        assertThat(c.validateRequests()).isTrue();
        assertThat(c.monthlyQuota()).isNull();
        assertThat(c.narrowcastWaiting()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.narrowcastSending()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.narrowcastErrorCode()).isNull();
        assertThat(c.narrowcastMinRecipients()).isEqualTo(50);
        assertThat(c.faults()).isEqualTo(Faults.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxConfig.builder().narrowcastErrorCode(6).build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxConfig.builder().monthlyQuota(-1L).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("monthlyQuota in the config applies to every channel")
    void configuredQuota() {
        SandboxClient client = start(SandboxConfig.builder().monthlyQuota(500L));
        assertAnswer(client.getAuthorized("/v2/bot/message/quota"), 200, "{\"type\":\"limited\",\"value\":500}");
    }
}
