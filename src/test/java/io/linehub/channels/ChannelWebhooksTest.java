package io.linehub.channels;

import io.linehub.line.LineSignature;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each LINE channel has its own webhook, /webhook/line/{name}, verified with its own channel secret (/webhook/line stays
 * the default channel's), and its own friend status; a delivery webhook of the channel marks its notifications.
 */
class ChannelWebhooksTest {

    static final String TH_SECRET = "th-secret-5b21";
    static final String DEFAULT_SECRET = "default-secret-77c0";
    static final String USER = "U1234567890abcdef1234567890abcdef";

    @TempDir
    static Path dir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        Path channels = dir.resolve("channels.yaml");
        Files.writeString(channels, """
                channels:
                  - name: th-main
                    country: TH
                    accessToken: th-token-5b21
                    channelSecret: %s
                    templateKeys:
                      shipping_complete:
                        templateKey: shipment_done_th
                        items: {shippedDate: date_th, orderNumber: number_th}
                """.formatted(TH_SECRET));
        hub = TestHub.start(Files.createDirectories(dir.resolve("data")), Map.of("hub.sandbox", "on", "hub.channels.file", channels.toString(),
                "hub.demo.enabled", "true", "line.channel.access.token", "default-token-77c0", "line.channel.secret", DEFAULT_SECRET));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    static String follow(String eventId) {
        return "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{\"type\":\"follow\",\"mode\":\"active\",\"timestamp\":1700000000000,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"" + USER + "\"},\"webhookEventId\":\"" + eventId + "\","
                + "\"deliveryContext\":{\"isRedelivery\":false},\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":false}}]}";
    }

    private static HttpResponse<String> post(String path, String body, String secret) throws Exception {
        return hub.post(path, body, "x-line-signature", LineSignature.sign(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachChannelsWebhookTakesOnlyItsOwnSecret() throws Exception {
        String event = follow("01HCHANNELWEBHOOK00000000A1");
        assertThat(post("/webhook/line/th-main", event, DEFAULT_SECRET).statusCode()).isEqualTo(401);
        assertThat(post("/webhook/line", event, TH_SECRET).statusCode()).isEqualTo(401);
        assertThat(post("/webhook/line/default", event, TH_SECRET).statusCode()).isEqualTo(401);
        assertThat(hub.count("SELECT COUNT(*) FROM line_friend WHERE user_id = '" + USER + "'")).isZero();

        assertThat(post("/webhook/line/th-main", event, TH_SECRET).statusCode()).isEqualTo(200);
        // friend status is the channel's own: th-main's follower is nobody's on default
        assertThat(hub.count("SELECT COUNT(*) FROM line_friend WHERE channel = 'th-main' AND user_id = '" + USER + "'")).isEqualTo(1);
        assertThat(hub.count("SELECT COUNT(*) FROM line_friend WHERE channel = 'default' AND user_id = '" + USER + "'")).isZero();
    }

    @Test
    void theUnnamedWebhookIsTheDefaultChannels() throws Exception {
        String event = follow("01HCHANNELWEBHOOK00000000B2");
        assertThat(post("/webhook/line", event, DEFAULT_SECRET).statusCode()).isEqualTo(200);
        assertThat(hub.count("SELECT COUNT(*) FROM line_friend WHERE channel = 'default' AND user_id = '" + USER + "'")).isEqualTo(1);
        HttpResponse<String> unknown = post("/webhook/line/jp-brand", follow("01HCHANNELWEBHOOK00000000C3"), DEFAULT_SECRET);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aChannelsDeliveryWebhookMarksItsNotificationDelivered() throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"081-234-5678\"},"
                + "\"data\":{\"orderNumber\":\"W-1\",\"shippedDate\":\"2026-11-27\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Json.read(r.body()).path("id").asText();
        assertThat(hub.notification(id).path("channel").asText()).isEqualTo("th-main");
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.status(id).equals("DELIVERED"));
        // the sandbox signed it with th-main's secret and sent it to th-main's webhook
        assertThat(hub.sandbox().webhooks()).anySatisfy(w -> {
            assertThat(w.channel()).isEqualTo("th-main");
            assertThat(w.hubStatus()).isEqualTo(200);
            assertThat(w.body()).contains(id);
        });
    }
}
