package io.linehub.sandbox;

import static io.linehub.sandbox.DeliveryWebhookTest.hmac;
import static io.linehub.sandbox.SandboxClient.SECRET;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** follow / unfollow events on demand (README §10.3, §10.5). */
class FriendWebhookTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00.123Z");

    WebhookReceiver hub;
    LineSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        hub = new WebhookReceiver();
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SECRET, hub.url()))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
        hub.close();
    }

    JsonNode event(int i) throws Exception {
        WebhookReceiver.Received r = hub.received().get(i);
        assertThat(r.header("x-line-signature")).isEqualTo(hmac(SECRET, r.body()));
        assertThat(r.header("User-Agent")).isEqualTo("LineBotWebhook/2.0");
        JsonNode root = JSON.readTree(r.body());
        assertThat(root.get("destination").asText()).matches("^U[0-9a-f]{32}$");
        assertThat(root.get("events")).hasSize(1);
        JsonNode e = root.get("events").get(0);
        assertThat(e.get("mode").asText()).isEqualTo("active");
        assertThat(e.get("timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(e.get("webhookEventId").asText()).matches("^[0-9A-HJKMNP-TV-Z]{26}$");
        assertThat(e.get("deliveryContext").get("isRedelivery").asBoolean()).isFalse();
        return e;
    }

    @Test
    @DisplayName("follow (new friend, then unblock) and unfollow: signed events in LINE's shape; the friend list follows")
    void followUnfollowFollow() throws Exception {
        String user = userId(7);
        sandbox.follow("a", user);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        JsonNode follow = event(0);
        assertThat(follow.get("type").asText()).isEqualTo("follow");
        assertThat(follow.get("source")).isEqualTo(JSON.readTree("{\"type\":\"user\",\"userId\":\"" + user + "\"}"));
        assertThat(follow.get("replyToken").asText()).matches("^[0-9a-f]{32}$");
        assertThat(follow.get("follow").get("isUnblocked").asBoolean()).isFalse();
        assertThat(sandbox.followers("a")).containsExactly(user);

        sandbox.unfollow("a", user);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 2);
        JsonNode unfollow = event(1);
        assertThat(unfollow.get("type").asText()).isEqualTo("unfollow");
        assertThat(unfollow.get("source").get("userId").asText()).isEqualTo(user);
        assertThat(unfollow.has("replyToken")).isFalse();
        assertThat(unfollow.has("follow")).isFalse();
        assertThat(sandbox.followers("a")).isEmpty();
        assertThat(sandbox.isBlocked("a", user)).isTrue();

        sandbox.follow("a", user);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 3);
        assertThat(event(2).get("follow").get("isUnblocked").asBoolean()).isTrue();
        assertThat(List.of(event(0).get("webhookEventId").asText(), event(1).get("webhookEventId").asText(),
                event(2).get("webhookEventId").asText())).doesNotHaveDuplicates();
        assertThat(sandbox.webhooks()).hasSize(3).allSatisfy(w -> assertThat(w.hubStatus()).isEqualTo(200));
    }

    @Test
    @DisplayName("unfollow from a user never seen (as after a LON) is sent too")
    void unfollowUnknown() throws Exception {
        sandbox.unfollow("a", userId(9));
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        assertThat(event(0).get("type").asText()).isEqualTo("unfollow");
    }
}
