package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.minimalBody;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Injected faults as the client sees them, and whether the request took effect. */
class FaultInjectionTest {

    static final String PUSH = "/v2/bot/message/push";
    static final String ISE = "{\"message\":\"Internal server error\"}";

    WebhookReceiver hub;
    LineSandbox sandbox;
    SandboxClient client;
    final String alice = userId(1);

    @BeforeEach
    void start() throws Exception {
        hub = new WebhookReceiver();
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, hub.url()))
                .deliveryDelay(Duration.ofMillis(20)).build());
        sandbox.addFriend("a", alice);
        sandbox.directory().add(TH_HASH);
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
        hub.close();
    }

    String pushBody() {
        return "{\"to\":\"" + alice + "\",\"messages\":" + text("hi") + "}";
    }

    HttpResponse<String> rawPush(Duration timeout, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + PUSH)).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pushBody(), StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return SandboxClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("reset: the client sees the connection closed without a response; nothing sent; recorded with status 0")
    void reset() {
        sandbox.faults(Faults.builder().resetShare(1.0).build());
        assertThatThrownBy(() -> rawPush(Duration.ofSeconds(5))).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.sent()).isEmpty();
        assertThat(sandbox.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.responseBody()).isNull();
        });
    }

    @Test
    @DisplayName("timeout: no answer until the client gives up (HttpTimeoutException); nothing sent")
    void timeoutClientGivesUp() {
        sandbox.faults(Faults.builder().timeoutShare(1.0).timeoutHold(Duration.ofSeconds(30)).build());
        long t = System.nanoTime();
        assertThatThrownBy(() -> rawPush(Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(sandbox.sent()).isEmpty();
    }

    @Test
    @DisplayName("timeout with a configured hold: the connection is closed without an answer after the hold")
    void timeoutHoldThenClose() {
        sandbox.faults(Faults.builder().timeoutShare(1.0).timeoutHold(Duration.ofMillis(200)).build());
        long t = System.nanoTime();
        assertThatThrownBy(() -> rawPush(Duration.ofSeconds(10))).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("500 before effect: not sent, retry key not consumed; after the outage ends the retry goes through")
    void serverErrorBefore() throws Exception {
        sandbox.faults(Faults.builder().serverErrorShare(1.0).build());
        String key = UUID.randomUUID().toString();
        HttpResponse<String> r = rawPush(Duration.ofSeconds(5), "X-Line-Retry-Key", key);
        assertAnswer(r, 500, ISE);
        assertThat(sandbox.sent()).isEmpty();
        sandbox.faults(Faults.NONE);
        assertThat(rawPush(Duration.ofSeconds(5), "X-Line-Retry-Key", key).statusCode()).isEqualTo(200);
        assertThat(sandbox.sent()).hasSize(1);
    }

    @Test
    @DisplayName("500 after effect: the push WAS sent and its key consumed; the retry gets 409 with the 500's request id")
    void serverErrorAfterEffect() throws Exception {
        sandbox.faults(Faults.builder().serverErrorAfterEffectShare(1.0).build());
        String key = UUID.randomUUID().toString();
        HttpResponse<String> r = rawPush(Duration.ofSeconds(5), "X-Line-Retry-Key", key);
        assertAnswer(r, 500, ISE);
        assertThat(sandbox.sent()).singleElement().satisfies(s -> assertThat(s.requestId()).isEqualTo(r.headers().firstValue("x-line-request-id").orElseThrow()));
        assertThat(sandbox.usage("a")).isEqualTo(1);
        sandbox.faults(Faults.NONE);
        HttpResponse<String> retry = rawPush(Duration.ofSeconds(5), "X-Line-Retry-Key", key);
        assertThat(retry.statusCode()).isEqualTo(409);
        assertThat(retry.headers().firstValue("x-line-accepted-request-id")).isEqualTo(r.headers().firstValue("x-line-request-id"));
        assertThat(sandbox.sent()).hasSize(1);
    }

    @Test
    @DisplayName("500 after effect on a template LON (no retry key): resending duplicates it — two sends, two delivery webhooks")
    void lonDuplicates() {
        sandbox.faults(Faults.builder().serverErrorAfterEffectShare(1.0).endpoints(ApiPath.PNP_TEMPLATED_PUSH).build());
        Map<String, String> h = SandboxClient.jsonHeaders();
        h.put("X-Line-Delivery-Tag", "message-0000000000000001");
        assertAnswer(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)), 500, ISE);
        sandbox.faults(Faults.NONE);
        assertAnswer(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)), 202, "{}");
        assertThat(sandbox.sent()).hasSize(2).allSatisfy(s -> assertThat(s.recipients()).containsExactly(TH_HASH));
        // two delivery events (LINE may carry both in one request)
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().stream()
                .mapToInt(w -> w.text().split("\"type\":\"delivery\"", -1).length - 1).sum() == 2);
        assertThat(hub.received()).allSatisfy(w -> assertThat(w.text()).contains("message-0000000000000001"));
    }

    @Test
    @DisplayName("a 500-after-effect fault does not touch requests that fail anyway (they get their own error)")
    void afterEffectOnlyOnSuccess() throws Exception {
        sandbox.faults(Faults.builder().serverErrorAfterEffectShare(1.0).build());
        HttpResponse<String> r = client.postJson(PUSH, "{\"to\":\"" + userId(5) + "\",\"messages\":" + text("x") + "}");
        assertAnswer(r, 400, "{\"message\":\"Failed to send messages\"}");
    }

    @Test
    @DisplayName("timeout after effect: the client times out but the message was sent")
    void timeoutAfterEffect() {
        sandbox.faults(Faults.builder().timeoutAfterEffectShare(1.0).timeoutHold(Duration.ofSeconds(30)).build());
        assertThatThrownBy(() -> rawPush(Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.sent()).hasSize(1);
    }

    @Test
    @DisplayName("latency: fixed + jitter delays the answer; percentiles too; faults limited to some endpoints spare the others")
    void latency() throws Exception {
        sandbox.faults(Faults.builder().latency(Duration.ofMillis(300), Duration.ofMillis(50)).endpoints(ApiPath.PUSH).build());
        long t = System.nanoTime();
        assertThat(rawPush(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        t = System.nanoTime();
        assertThat(client.getAuthorized("/v2/bot/message/quota").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(300));

        sandbox.faults(Faults.builder().latencyPercentiles(Map.of(0.0, Duration.ofMillis(200), 100.0, Duration.ofMillis(250))).build());
        t = System.nanoTime();
        assertThat(client.getAuthorized("/v2/bot/message/quota").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("shares are drawn per request: about half of 400 requests get 500 with serverErrorShare 0.5")
    void shares() {
        sandbox.faults(Faults.builder().serverErrorShare(0.5).build());
        int errors = 0;
        for (int i = 0; i < 400; i++) {
            if (client.getAuthorized("/v2/bot/message/quota/consumption").statusCode() == 500) {
                errors++;
            }
        }
        assertThat(errors).isBetween(140, 260);
    }

    @Test
    @DisplayName("Faults refuses shares above 1 in total")
    void faultValidation() {
        assertThatThrownBy(() -> Faults.builder().resetShare(0.6).serverErrorShare(0.6).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Faults.builder().timeoutShare(-0.1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
