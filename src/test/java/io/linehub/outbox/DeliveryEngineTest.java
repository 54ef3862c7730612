package io.linehub.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;
import io.linehub.sandbox.Faults;
import io.linehub.sandbox.ApiPath;
import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.sandbox.SentMessage;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery engine against the sandbox: multicast packing, outages, quota, hourly budget, dead letters. The rate
 * budget is proven with the hub and the sandbox in separate processes (it.RateBudgetIT), as in production.
 */
class DeliveryEngineTest {

    @TempDir
    Path dataDir;
    TestHub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    private TestHub start(Map<String, String> extra) throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("hub.sandbox", "on", "hub.sandbox.accept-all-numbers", "true",
                "hub.delivery.enabled", "false", "hub.sandbox.undelivered-share", "1.0", "hub.delivery.poll-interval-ms", "20"));
        p.putAll(extra);
        hub = TestHub.start(dataDir, p);
        return hub;
    }

    private void startDelivery() throws Exception {
        for (String route : List.of("outbox-dispatcher", "deliver", "narrowcast-progress", "delivery-housekeeping")) {
            hub.context().getRouteController().startRoute(route);
        }
    }

    private NotificationQueue outbox() {
        return hub.bean("notificationQueue", NotificationQueue.class);
    }

    private String lon(int i) {
        String hash = PhoneNumbers.hash("+668" + String.format("%08d", i));
        return outbox().enqueue(NewNotification.lonTemplate("shipping_complete", "default", "C-" + i, hash, "+66 8xxxx" + i, "TH", "th", "{}",
                "{\"to\":\"" + hash + "\",\"templateKey\":\"shipment_completed_ja\",\"body\":{\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"" + i + "\"}]}}",
                null, "d" + i)).id();
    }

    private static String userId(int i) {
        return "U" + String.format("%032x", i + 1);
    }

    private String push(int i, String text) {
        String request = "{\"to\":\"" + userId(i) + "\",\"messages\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
        return outbox().enqueue(new NewNotification("shipping_complete", "default", "push", null, null, null, null, "en", "{}", request, null,
                "p" + i + text, userId(i), UUID.randomUUID().toString(), "digest-" + text, "test")).id();
    }

    private Map<String, Long> statuses() throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = hub.db().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM notification GROUP BY status")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void tenThousandIdenticalPushesBecomeAtMostTwentyMulticasts() throws Exception {
        start(Map.of());
        for (int i = 0; i < 10_000; i++) {
            hub.sandbox().addFriend("default", userId(i));
            push(i, "Your parcel has shipped");
        }
        startDelivery();
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses().getOrDefault("SENT", 0L) == 10_000L);

        List<RecordedRequest> requests = hub.sandbox().requests().stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(requests).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v2/bot/message/multicast"));
        assertThat(requests).hasSizeLessThanOrEqualTo(20);
        // per-recipient status: every user got it exactly once, and each notification knows its batch
        Map<String, Long> perUser = hub.sandbox().sent().stream().flatMap(s -> s.recipients().stream())
                .collect(Collectors.groupingBy(u -> u, Collectors.counting()));
        assertThat(perUser).hasSize(10_000).allSatisfy((u, n) -> assertThat(n).isEqualTo(1L));
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE batch_id IS NULL")).isZero();
        assertThat(hub.count("SELECT COUNT(DISTINCT batch_id) FROM notification")).isEqualTo(requests.size());
    }

    @Test
    void anOutageOf5xxAndTimeoutsEndsWithEveryPushDeliveredOnce() throws Exception {
        start(Map.of("hub.delivery.packing-window", "PT0S", "hub.delivery.max-attempts", "20", "hub.delivery.lease-seconds", "20"));
        hub.sandbox().faults(Faults.builder().serverErrorShare(0.4).serverErrorAfterEffectShare(0.3).timeoutAfterEffectShare(0.1)
                .timeoutHold(Duration.ofSeconds(12)).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            hub.sandbox().addFriend("default", userId(i));
            ids.add(push(i, "Outage test"));
        }
        startDelivery();
        Thread.sleep(4000);
        hub.sandbox().faults(Faults.NONE);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> statuses().getOrDefault("SENT", 0L) == 300L);

        List<SentMessage> sent = hub.sandbox().sent().stream().filter(s -> s.endpoint() == ApiPath.PUSH).toList();
        Map<String, Long> perUser = sent.stream().collect(Collectors.groupingBy(s -> s.recipients().get(0), Collectors.counting()));
        assertThat(perUser).hasSize(300).allSatisfy((u, n) -> assertThat(n).as(u).isEqualTo(1L));
        List<RecordedRequest> requests = hub.sandbox().requests();
        assertThat(requests).extracting(RecordedRequest::status).contains(500, 409);
        JsonNode n = hub.notification(ids.get(0));
        assertThat(n.path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void monthlyQuotaPausesTheChannelInsteadOfBurningRetries() throws Exception {
        start(Map.of("hub.delivery.packing-window", "PT0S"));
        hub.sandbox().quota("default", 3L);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hub.sandbox().addFriend("default", userId(i));
            ids.add(push(i, "Quota " + i));
        }
        startDelivery();
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.bean("channelPauses", ChannelPauses.class).paused().isEmpty());
        Thread.sleep(1500);
        assertThat(hub.bean("channelPauses", ChannelPauses.class).paused().get(0).get("reason").toString()).contains("monthly limit");
        Map<String, Long> s = statuses();
        assertThat(s.getOrDefault("SENT", 0L)).as("statuses %s", s).isEqualTo(3L);
        assertThat(s.getOrDefault("RETRY_WAIT", 0L)).as("statuses %s", s).isEqualTo(2L);
        long quota429 = hub.sandbox().requests().stream().filter(r -> r.status() == 429).count();
        assertThat(quota429).as("the paused channel stops sending").isLessThanOrEqualTo(2);
        var paused = hub.get("/api/channels/paused");
        assertThat(Json.read(paused.body()).get(0).path("channel").asText()).isEqualTo("default");
    }

    @Test
    void broadcastsAreQueuedAgainstTheHourlyBudgetNotLooped() throws Exception {
        start(Map.of("hub.delivery.hourly-budget", "2"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(outbox().enqueue(new NewNotification("shipping_complete", "default", "broadcast", null, null, null, null, "en", "{}",
                    "{\"messages\":[{\"type\":\"text\",\"text\":\"Sale " + i + "\"}]}", null, "b" + i, null, UUID.randomUUID().toString(), null, "test")).id());
        }
        startDelivery();
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses().getOrDefault("SENT", 0L) == 2L);
        Thread.sleep(1500);
        assertThat(statuses().getOrDefault("QUEUED", 0L)).isEqualTo(1L);
        assertThat(hub.sandbox().requests()).filteredOn(r -> r.path().equals("/v2/bot/message/broadcast"))
                .hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void finalFailuresAreDeadLettersThatCanBeReplayed() throws Exception {
        start(Map.of("hub.delivery.packing-window", "PT0S"));
        String id = push(1, "Not a friend yet"); // the sandbox refuses a push to an unknown user ID (400)
        startDelivery();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("FAILED"));
        JsonNode dead = Json.read(hub.get("/api/dead-letters").body());
        assertThat(dead.findValuesAsText("id")).contains(id);
        assertThat(hub.notification(id).path("lastError").asText()).contains("400");

        hub.sandbox().addFriend("default", userId(1)); // the cause is fixed
        var out = new java.io.ByteArrayOutputStream();
        int code = io.linehub.cli.ReplayCommand.run(new String[]{id, "--url", hub.url(""), "--key", io.linehub.testsupport.TestHub.API_KEY}, new java.io.PrintStream(out), System.err);
        assertThat(code).isZero();
        assertThat(out.toString()).contains(id + " queued again");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("SENT"));
        assertThat(hub.post("/api/notifications/" + id + "/replay", "").statusCode()).isEqualTo(409);
        assertThat(hub.notification(id).path("history").findValuesAsText("status"))
                .containsSubsequence("FAILED", "QUEUED", "SENDING", "SENT");
    }

    @Test
    void aBroadcastLargerThanTheQuotaLeftIsHeldWithTheReason() throws Exception {
        start(Map.of());
        hub.sandbox().quota("default", 3L);
        var friends = hub.bean("friendStatus", io.linehub.friends.FriendStatus.class);
        for (int i = 0; i < 5; i++) {
            friends.record("default", userId(i), io.linehub.friends.FriendStatus.Status.FOLLOWING, 1);
        }
        String id = outbox().enqueue(new NewNotification("shipping_complete", "default", "broadcast", null, null, null, null, "en", "{}",
                "{\"messages\":[{\"type\":\"text\",\"text\":\"Sale\"}]}", null, "q", null, UUID.randomUUID().toString(), null, "test")).id();
        startDelivery();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("RETRY_WAIT"));
        JsonNode n = hub.notification(id);
        assertThat(n.path("lastError").asText()).contains("held").contains("5 recipients").contains("3 messages left");
        assertThat(n.path("attemptCount").asInt()).isZero();
        assertThat(hub.sandbox().requests()).noneMatch(r -> r.path().equals("/v2/bot/message/broadcast"));
    }
}
