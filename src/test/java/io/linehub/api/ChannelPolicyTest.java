package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.testsupport.LineOpenApi;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The channel policy of routes/intake.camel.yaml: auto's choice and its recorded reason, and requested channels. */
class ChannelPolicyTest {

    static final String DATA = "\"data\":{\"orderNumber\":\"P-1\",\"shippedDate\":\"2026-11-27\"}";
    static final String FRIEND_C2002 = "U2002f0e1d2c3b4a5968778695a4b3c2d";

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        // the default channel is approved by LINE for flexible LON here (requestedChannelsAreHonoured sends one)
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.delivery.packing-window", "PT0S", "line.channel.flexible-approved", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static JsonNode accepted(String body) throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Json.read(r.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).matches("SENT|DELIVERED|FAILED"));
        return hub.notification(id);
    }

    private static RecordedRequest lastTo(String path) {
        return hub.sandbox().requests().stream().filter(r -> r.path().equals(path)).reduce((a, b) -> b).orElseThrow();
    }

    private static void validates(RecordedRequest r) {
        assertThat(LineOpenApi.validate(r.method(), r.path(), new HashMap<>(r.headers()), r.body())).isEmpty();
    }

    @Test
    void autoPushesToAFriendWithAUserId() throws Exception {
        JsonNode n = accepted("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-2002\"}," + DATA + "}");
        assertThat(n.path("lineOperation").asText()).isEqualTo("push");
        assertThat(n.path("channelDecision").asText()).startsWith("auto:").contains("friend");
        assertThat(n.path("status").asText()).isEqualTo("SENT");
        RecordedRequest push = lastTo("/v2/bot/message/push");
        assertThat(Json.read(push.body()).path("to").asText()).isEqualTo(FRIEND_C2002);
        assertThat(push.headers()).containsKey("X-Line-Retry-Key");
        validates(push);
    }

    @Test
    void autoSendsALonTemplateToANonFriendWithAReachableNumber() throws Exception {
        JsonNode n = accepted("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-2001\"}," + DATA + "}");
        assertThat(n.path("lineOperation").asText()).isEqualTo("pnp-template");
        assertThat(n.path("channelDecision").asText()).startsWith("auto:").contains("not a known friend");
    }

    @Test
    void anUnfollowedFriendIsNoLongerPushedTo() throws Exception {
        var friends = hub.bean("friendStatus", io.linehub.friends.FriendStatus.class);
        friends.record("default", "U3002a1b2c3d4e5f60718293a4b5c6d7e", io.linehub.friends.FriendStatus.Status.BLOCKED, System.currentTimeMillis());
        JsonNode n = accepted("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-3002\"}," + DATA + "}");
        assertThat(n.path("lineOperation").asText()).isEqualTo("pnp-template");
    }

    @Test
    void aCustomerLineCannotReachIsRefusedWithBothReasons() throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-9001\"}," + DATA + "}");
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode e = Json.read(r.body());
        assertThat(e.path("field").asText()).isEqualTo("to.customerId");
        assertThat(e.path("reason").asText()).contains("no LINE user ID").contains("US");
    }

    @Test
    void requestedChannelsAreHonoured() throws Exception {
        assertThat(accepted("{\"type\":\"shipping_complete\",\"via\":\"template\",\"to\":{\"customerId\":\"C-2002\"}," + DATA + "}")
                .path("lineOperation").asText()).isEqualTo("pnp-template");
        JsonNode flex = accepted("{\"type\":\"shipping_complete\",\"via\":\"flex\",\"to\":{\"phone\":\"081-234-5678\"}," + DATA + "}");
        assertThat(flex.path("lineOperation").asText()).isEqualTo("pnp-flex");
        // issue 17: allowed because this channel is marked approved by LINE; the preview says so too
        assertThat(Json.read(hub.post("/api/templates/shipping_complete/preview", "{}").body()).path("flexibleApproved").asBoolean()).isTrue();
        validates(lastTo("/bot/pnp/push"));
        JsonNode byUserId = accepted("{\"type\":\"shipping_complete\",\"to\":{\"userId\":\"" + FRIEND_C2002 + "\"}," + DATA + "}");
        assertThat(byUserId.path("lineOperation").asText()).isEqualTo("push");
        JsonNode multicast = accepted("{\"type\":\"shipping_complete\",\"to\":{\"userIds\":[\"" + FRIEND_C2002
                + "\",\"U3002a1b2c3d4e5f60718293a4b5c6d7e\"]}," + DATA + "}");
        assertThat(multicast.path("lineOperation").asText()).isEqualTo("multicast");
        validates(lastTo("/v2/bot/message/multicast"));
        JsonNode broadcast = accepted("{\"type\":\"shipping_complete\",\"via\":\"broadcast\"," + DATA + "}");
        assertThat(broadcast.path("lineOperation").asText()).isEqualTo("broadcast");
        assertThat(broadcast.path("channelDecision").asText()).startsWith("requested");
        validates(lastTo("/v2/bot/message/broadcast"));
    }

    @Test
    void requestedChannelsThatCannotReachTheRecipientAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> noUserId = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"via\":\"push\",\"to\":{\"customerId\":\"C-1001\"}," + DATA + "}");
        assertThat(noUserId.statusCode()).isEqualTo(400);
        assertThat(Json.read(noUserId.body()).path("reason").asText()).contains("no LINE user ID");
        HttpResponse<String> phonePush = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"via\":\"push\",\"to\":{\"phone\":\"0812345678\"}," + DATA + "}");
        assertThat(phonePush.statusCode()).isEqualTo(400);
        assertThat(Json.read(phonePush.body()).path("field").asText()).isEqualTo("via");
        HttpResponse<String> broadcastTo = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"via\":\"broadcast\",\"to\":{\"customerId\":\"C-1001\"}," + DATA + "}");
        assertThat(broadcastTo.statusCode()).isEqualTo(400);
        assertThat(Json.read(broadcastTo.body()).path("field").asText()).isEqualTo("to");
        HttpResponse<String> badUserId = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"userId\":\"Uabc\"}," + DATA + "}");
        assertThat(badUserId.statusCode()).isEqualTo(400);
        assertThat(Json.read(badUserId.body()).path("field").asText()).isEqualTo("to.userId");
    }
}
