package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.PnpTemplatedPushTest.bodyError;
import static io.linehub.sandbox.SandboxClient.JP_HASH;
import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.minimalBody;
import static io.linehub.sandbox.SandboxClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Flexible LON (README §4.5) and the LON sent counts (README §4.6). */
class PnpFlexibleAndStatsTest {

    static final String FLEX = "/bot/pnp/push";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T03:00:00Z")); // 12:00 on 26 Nov, UTC+9
    WebhookReceiver hub;
    LineSandbox sandbox;
    SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        hub = new WebhookReceiver();
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, hub.url()))
                .deliveryDelay(Duration.ofMillis(20)).clock(clock).build());
        sandbox.directory().add(TH_HASH);
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
        hub.close();
    }

    static String flex(String to, String messages) {
        return "{\"to\":\"" + to + "\",\"messages\":" + messages + "}";
    }

    @Test
    @DisplayName("flexible LON to a known hash: 200 {} and a delivery webhook carrying the delivery tag")
    void accepted() {
        String tag = "order-000000000042";
        assertAnswer(client.postJson(FLEX, flex(TH_HASH, text("Your parcel has shipped")), "X-Line-Delivery-Tag", tag), 200, "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        assertThat(hub.received().get(0).text()).contains("\"type\":\"delivery\"").contains("\"data\":\"" + tag + "\"");
        assertThat(sandbox.sent()).singleElement().satisfies(s -> {
            assertThat(s.endpoint()).isEqualTo(ApiPath.PNP_FLEXIBLE_PUSH);
            assertThat(s.recipients()).containsExactly(TH_HASH);
        });
        assertThat(sandbox.usage("a")).isZero(); // LONs are not counted toward the messaging quota
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("flexible LON: unknown hash 422, bad digest 400 as template, image/video/audio 400, missing messages 400")
    void refused() {
        assertAnswer(client.postJson(FLEX, flex(JP_HASH, text("x"))), 422, "{\"message\":\"Failed to send messages\"}");
        assertAnswer(client.postJson(FLEX, flex("abc", text("x"))), 400, bodyError("The value must be a valid SHA-256 digest.", "to"));
        String image = "[{\"type\":\"image\",\"originalContentUrl\":\"https://example.com/a.jpg\",\"previewImageUrl\":\"https://example.com/b.jpg\"}]";
        assertAnswer(client.postJson(FLEX, flex(TH_HASH, image)), 400,
                bodyError(PnpFlexiblePushEndpoint.ALLOWED_TYPES_MESSAGE, "messages[0].type"));
        assertAnswer(client.postJson(FLEX, "{\"to\":\"" + TH_HASH + "\"}"), 400, bodyError("May not be empty", "messages"));
        assertThat(sandbox.sent()).isEmpty();
        assertThat(hub.received()).isEmpty();
    }

    @Test
    @DisplayName("sent counts per UTC+9 day count delivered LONs only; today is unready; bad date 400; before 2018-03-31 out_of_service")
    void sentCounts() {
        client.postJson(FLEX, flex(TH_HASH, text("x")));
        client.postJson(FLEX, flex(TH_HASH, text("y")));
        client.postJson(FLEX, flex(JP_HASH, text("z"))); // 422: not counted
        client.push(minimalBody(TH_HASH));               // template
        clock.advance(Duration.ofDays(1));
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp?date=20261126"), 200, "{\"status\":\"ready\",\"success\":2}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp/templated?date=20261126"), 200, "{\"status\":\"ready\",\"success\":1}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp/templated?date=20261125"), 200, "{\"status\":\"ready\",\"success\":0}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp/templated?date=20261127"), 200, "{\"status\":\"unready\"}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp?date=20180330"), 200, "{\"status\":\"out_of_service\"}");
        String bad = "{\"message\":\"The value for the 'date' parameter is invalid\"}";
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp?date=2026-11-26"), 400, bad);
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp/templated?date=20260230"), 400, bad);
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/pnp/templated"), 400, bad);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("undelivered LONs (undeliveredShare 1.0) are accepted but not counted")
    void undeliveredNotCounted() throws Exception {
        try (WebhookReceiver h2 = new WebhookReceiver();
             LineSandbox s2 = LineSandbox.start(SandboxConfig.builder()
                     .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, h2.url()))
                     .undeliveredShare(1.0).clock(clock).build())) {
            s2.directory().add(TH_HASH);
            SandboxClient c2 = new SandboxClient(s2);
            assertThat(c2.postJson(FLEX, flex(TH_HASH, text("x"))).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofDays(1));
            assertAnswer(c2.getAuthorized("/v2/bot/message/delivery/pnp?date=20261126"), 200, "{\"status\":\"ready\",\"success\":0}");
        }
    }
}
