package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.PnpTemplatedPushTest.json;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Push, multicast, broadcast, quota, consumption and their sent counts (README §5.1, §5.2, §6, §7, §8). */
class UserIdSendTest {

    static final String PUSH = "/v2/bot/message/push";
    static final String MULTICAST = "/v2/bot/message/multicast";
    static final String BROADCAST = "/v2/bot/message/broadcast";
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    LineSandbox sandbox;
    SandboxClient client;
    final String alice = userId(1);
    final String bob = userId(2);
    final String carol = userId(3);

    @BeforeEach
    void start() {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null))
                .clock(clock).build());
        sandbox.addFriend("a", alice);
        sandbox.addFriend("a", bob);
        sandbox.addFriend("a", carol);
        sandbox.unfollow("a", carol); // blocked
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static String push(String to, String messages) {
        return "{\"to\":\"" + to + "\",\"messages\":" + messages + "}";
    }

    @Test
    @DisplayName("push to a friend: 200 with one sentMessages entry per message (numeric string id, quoteToken for text only)")
    void pushToFriend() {
        String messages = "[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"location\",\"title\":\"t\",\"address\":\"a\",\"latitude\":1.0,\"longitude\":2.0}]";
        HttpResponse<String> r = client.postJson(PUSH, push(alice, messages));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-line-request-id")).isPresent();
        JsonNode sent = json(r.body()).get("sentMessages");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).get("id").isTextual()).isTrue();
        assertThat(sent.get(0).get("id").asText()).matches("^[0-9]{18,}$");
        assertThat(sent.get(0).get("quoteToken").asText()).isNotBlank();
        assertThat(sent.get(1).has("quoteToken")).isFalse();
        assertThat(sent.get(1).get("id").asText()).isNotEqualTo(sent.get(0).get("id").asText());

        assertThat(sandbox.sent()).singleElement().satisfies(s -> {
            assertThat(s.endpoint()).isEqualTo(ApiPath.PUSH);
            assertThat(s.recipients()).containsExactly(alice);
            assertThat(s.requestId()).isEqualTo(r.headers().firstValue("x-line-request-id").orElseThrow());
        });
        assertThat(sandbox.usage("a")).isEqualTo(1);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("push to an unknown user ID or group: 400 {\"message\":\"Failed to send messages\"}, nothing sent")
    void pushToUnknown() {
        assertAnswer(client.postJson(PUSH, push(userId(99), text("x"))), 400, "{\"message\":\"Failed to send messages\"}");
        assertAnswer(client.postJson(PUSH, push("C" + "0".repeat(32), text("x"))), 400, "{\"message\":\"Failed to send messages\"}");
        assertAnswer(client.postJson(PUSH, push("someone", text("x"))), 400, "{\"message\":\"Failed to send messages\"}");
        assertThat(sandbox.sent()).isEmpty();
        assertThat(sandbox.usage("a")).isZero();
    }

    @Test
    @DisplayName("push to a user who blocked the OA: 200 but nobody reached and nothing counted")
    void pushToBlocked() {
        HttpResponse<String> r = client.postJson(PUSH, push(carol, text("x")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).get("sentMessages")).hasSize(1);
        assertThat(sandbox.sent()).singleElement().satisfies(s -> assertThat(s.recipients()).isEmpty());
        assertThat(sandbox.usage("a")).isZero();
    }

    @Test
    @DisplayName("push to a group counts each member toward the quota")
    void pushToGroup() {
        String group = "C" + "a".repeat(32);
        sandbox.joinGroup("a", group, 5);
        assertThat(client.postJson(PUSH, push(group, text("x"))).statusCode()).isEqualTo(200);
        assertThat(sandbox.usage("a")).isEqualTo(5);
    }

    @Test
    @DisplayName("multicast: 200 {}, unknown and blocked IDs silently skipped, a non-user ID gets 400 naming to[i]")
    void multicast() {
        String body = "{\"to\":[\"" + alice + "\",\"" + userId(77) + "\",\"" + carol + "\",\"" + bob + "\"],\"messages\":" + text("x") + "}";
        assertAnswer(client.postJson(MULTICAST, body), 200, "{}");
        assertThat(sandbox.sent()).singleElement().satisfies(s -> assertThat(s.recipients()).containsExactly(alice, bob));
        assertThat(sandbox.usage("a")).isEqualTo(2);

        String bad = "{\"to\":[\"" + alice + "\",\"C" + "0".repeat(32) + "\"],\"messages\":" + text("x") + "}";
        assertAnswer(client.postJson(MULTICAST, bad), 400,
                "{\"message\":\"The property, to[1], in the request body is invalid (line: -, column: -)\"}");
        assertThat(sandbox.sent()).hasSize(1);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("multicast to more than 500 IDs or none is refused by LINE's schema")
    void multicastSize() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append('"').append(userId(1000 + i)).append('"');
        }
        HttpResponse<String> r = client.postJson(MULTICAST, "{\"to\":[" + many + "],\"messages\":" + text("x") + "}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("message").asText()).isEqualTo("The request body has 1 error(s)");
        assertThat(json(r.body()).get("details").get(0).get("property").asText()).isEqualTo("to");
        assertThat(client.postJson(MULTICAST, "{\"to\":[],\"messages\":" + text("x") + "}").statusCode()).isEqualTo(400);
    }

    @Test
    @DisplayName("broadcast: 200 {} to every friend who has not blocked the OA")
    void broadcast() {
        assertAnswer(client.postJson(BROADCAST, "{\"messages\":" + text("x") + "}"), 200, "{}");
        assertThat(sandbox.sent()).singleElement().satisfies(s -> assertThat(s.recipients()).containsExactly(alice, bob));
        assertThat(sandbox.usage("a")).isEqualTo(2);
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("quota: {\"type\":\"none\"} by default, {\"type\":\"limited\",\"value\":N} when set; consumption counts recipients")
    void quotaAndConsumption() {
        assertAnswer(client.getAuthorized("/v2/bot/message/quota"), 200, "{\"type\":\"none\"}");
        sandbox.quota("a", 1000L);
        assertAnswer(client.getAuthorized("/v2/bot/message/quota"), 200, "{\"type\":\"limited\",\"value\":1000}");
        assertAnswer(client.getAuthorized("/v2/bot/message/quota/consumption"), 200, "{\"totalUsage\":0}");
        client.postJson(PUSH, push(alice, text("x")));
        client.postJson(BROADCAST, "{\"messages\":" + text("x") + "}");
        assertAnswer(client.getAuthorized("/v2/bot/message/quota/consumption"), 200, "{\"totalUsage\":3}");
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("when usage reaches the limit, sends get 429 {\"message\":\"You have reached your monthly limit.\"} and nothing is sent")
    void quotaExhausted() {
        sandbox.quota("a", 3L);
        assertThat(client.postJson(PUSH, push(alice, text("1"))).statusCode()).isEqualTo(200);
        assertThat(client.postJson(BROADCAST, "{\"messages\":" + text("2") + "}").statusCode()).isEqualTo(200);
        assertThat(sandbox.usage("a")).isEqualTo(3);
        String limit = "{\"message\":\"You have reached your monthly limit.\"}";
        assertAnswer(client.postJson(PUSH, push(alice, text("3"))), 429, limit);
        assertAnswer(client.postJson(MULTICAST, "{\"to\":[\"" + bob + "\"],\"messages\":" + text("4") + "}"), 429, limit);
        assertAnswer(client.postJson(BROADCAST, "{\"messages\":" + text("5") + "}"), 429, limit);
        assertAnswer(client.postJson("/v2/bot/message/narrowcast", "{\"messages\":" + text("6") + "}"), 429, limit);
        assertThat(sandbox.sent()).hasSize(2);
        assertThat(sandbox.usage("a")).isEqualTo(3);

        sandbox.quota("a", 4L); // one left: a broadcast to two friends does not fit, a push does
        assertAnswer(client.postJson(BROADCAST, "{\"messages\":" + text("7") + "}"), 429, limit);
        assertThat(client.postJson(PUSH, push(bob, text("8"))).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("sent counts of push/multicast/broadcast per UTC+9 day: ready for past days, unready for today")
    void sentCounts() {
        clock.set(Instant.parse("2026-11-26T14:59:00Z")); // 23:59 on 26 Nov in UTC+9
        client.postJson(PUSH, push(alice, text("x")));
        clock.set(Instant.parse("2026-11-26T15:00:00Z")); // 00:00 on 27 Nov in UTC+9
        client.postJson(PUSH, push(bob, text("x")));
        client.postJson(MULTICAST, "{\"to\":[\"" + alice + "\",\"" + bob + "\"],\"messages\":" + text("x") + "}");
        clock.set(Instant.parse("2026-11-28T01:00:00Z"));
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/push?date=20261126"), 200, "{\"status\":\"ready\",\"success\":1}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/push?date=20261127"), 200, "{\"status\":\"ready\",\"success\":1}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/multicast?date=20261127"), 200, "{\"status\":\"ready\",\"success\":2}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/broadcast?date=20261127"), 200, "{\"status\":\"ready\",\"success\":0}");
        assertAnswer(client.getAuthorized("/v2/bot/message/delivery/push?date=20261128"), 200, "{\"status\":\"unready\"}");
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("the friend list API refuses malformed user IDs")
    void friendListValidation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.addFriend("a", "U123"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.addFriend("nope", alice))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sandbox.followers("a")).containsExactly(alice, bob);
        assertThat(sandbox.isBlocked("a", carol)).isTrue();
        assertThat(List.of(Duration.ZERO)).isNotEmpty();
    }
}
