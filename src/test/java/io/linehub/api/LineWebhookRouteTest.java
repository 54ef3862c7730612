package io.linehub.api;

import io.linehub.friends.FriendStatus;
import io.linehub.line.LineConstants;
import io.linehub.line.LineSignature;
import io.linehub.testsupport.TestHub;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webhook route: signatures over the raw bytes, events handled once, friend status, unknown types acknowledged. */
class LineWebhookRouteTest {

    private static final String SECRET = "wh-secret-77aa";
    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "line.channel.access.token", "wh-token", "line.channel.secret", SECRET));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static String event(String type, String id, String userId, long ts, String extra) {
        return "{\"type\":\"" + type + "\",\"mode\":\"active\",\"timestamp\":" + ts + ",\"source\":{\"type\":\"user\",\"userId\":\"" + userId + "\"},"
                + "\"webhookEventId\":\"" + id + "\",\"deliveryContext\":{\"isRedelivery\":false}" + extra + "}";
    }

    private static String envelope(String... events) {
        return "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[" + String.join(",", events) + "]}";
    }

    private static int post(String body, String signature) throws Exception {
        return signature == null ? hub.post("/webhook/line/default", body).statusCode()
                : hub.post("/webhook/line/default", body, "x-line-signature", signature).statusCode();
    }

    private static String sign(String body) {
        return LineSignature.sign(SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    private static FriendStatus friends() {
        return hub.bean("friendStatus", FriendStatus.class);
    }

    @Test
    void followAndUnfollowKeepTheFriendStatusInEventOrder() throws Exception {
        String user = "U1111111111111111111111111111111a";
        String follow = envelope(event("follow", "01JFOLLOW00000000000000001", user, 1000, ",\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":false}"));
        assertThat(post(follow, sign(follow))).isEqualTo(200);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.FOLLOWING);

        String unfollow = envelope(event("unfollow", "01JUNFOLLOW000000000000001", user, 3000, ""));
        assertThat(post(unfollow, sign(unfollow))).isEqualTo(200);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.BLOCKED);

        // an older follow arriving late does not undo the newer unfollow
        String late = envelope(event("follow", "01JFOLLOW00000000000000002", user, 2000, ",\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":true}"));
        assertThat(post(late, sign(late))).isEqualTo(200);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.BLOCKED);
    }

    @Test
    void theSameEventIdIsHandledOnceAndUnknownTypesAreAcknowledged() throws Exception {
        String user = "U2222222222222222222222222222222b";
        String body = envelope(event("follow", "01JONCE0000000000000000001", user, 5000, ",\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":false}"),
                event("aBrandNewEventType", "01JONCE0000000000000000002", user, 5001, ",\"whatever\":{\"x\":1}"));
        MockEndpoint events = hub.context().getEndpoint("mock:line-events", MockEndpoint.class);
        events.reset();
        AdviceWith.adviceWith(hub.context(), "line-event", a -> a.weaveAddLast().to("mock:line-events"));

        assertThat(post(body, sign(body))).isEqualTo(200);
        String redelivered = body.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
        assertThat(post(redelivered, sign(redelivered))).isEqualTo(200);
        String third = envelope(event("unfollow", "01JONCE0000000000000000003", user, 6000, ""));
        assertThat(post(third, sign(third))).isEqualTo(200);

        events.expectedMessageCount(3);
        events.assertIsSatisfied(5000);
        assertThat(events.getExchanges()).extracting(e -> e.getMessage().getHeader(LineConstants.EVENT_TYPE))
                .containsExactly("follow", "aBrandNewEventType", "unfollow");
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.BLOCKED);
    }

    @Test
    void wrongMissingAndReEncodedSignaturesAreRefusedWithNoChange() throws Exception {
        String user = "U3333333333333333333333333333333c";
        String body = envelope(event("follow", "01JSIG00000000000000000001", user, 7000,
                ",\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":false},\"note\":\"สวัสดี 你好\""));
        String signature = sign(body);
        // the same JSON re-encoded (non-ASCII escaped): equal as JSON, other bytes: LINE did not sign these
        String reEncoded = body.replace("สวัสดี 你好", "\\u0e2a\\u0e27\\u0e31\\u0e2a\\u0e14\\u0e35 \\u4f60\\u597d");

        assertThat(post(body, null)).isEqualTo(401);
        assertThat(post(body, LineSignature.sign("other-secret", body.getBytes(StandardCharsets.UTF_8)))).isEqualTo(401);
        assertThat(post(body, signature.substring(1))).isEqualTo(401);
        assertThat(post(reEncoded, signature)).isEqualTo(401);
        assertThat(friends().status("default", user)).isEmpty();

        assertThat(post(body, signature)).isEqualTo(200);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.FOLLOWING);
    }

    /** n LON notifications SENT on the default channel (their delivery tag is their id), written directly. */
    private static List<String> sentNotifications(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = hub.db().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notification (id, type, channel, line_operation, status, data, line_request,"
                     + " delivery_tag, next_attempt_at, created_at, updated_at, sent_at) VALUES (?, 'shipping_complete', 'default', 'pnp-template',"
                     + " 'SENT', '{}', '{}', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                ps.setString(1, id);
                ps.setString(2, id);
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        return ids;
    }

    private static String delivery(String id, String data) {
        return "{\"type\":\"delivery\",\"delivery\":{\"data\":\"" + data + "\"},\"webhookEventId\":\"" + id + "\","
                + "\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":1650590038721,\"mode\":\"active\"}";
    }

    @Test
    void manyDeliveryEventsOfOneRequestAreRecordedTogetherWithTheOtherEventsHandledOneByOne() throws Exception {
        List<String> ids = sentNotifications(120);
        String user = "U4444444444444444444444444444444d";
        List<String> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(delivery("01JBATCH" + String.format("%018d", i), ids.get(i)));
            if (i == 60) {
                events.add(event("follow", "01JBATCHFOLLOW000000000001", user, 9000, ",\"replyToken\":\"r\",\"follow\":{\"isUnblocked\":false}"));
            }
        }
        events.add(delivery("01JBATCHUNKNOWN00000000001", "not-a-delivery-tag-we-sent")); // matches nothing: still 200
        String body = envelope(events.toArray(String[]::new));
        String inList = "('" + String.join("','", ids) + "')";

        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            assertThat(post(body, sign(body))).isEqualTo(200);
        } finally {
            root.detachAppender(log);
        }
        synchronized (log.list) {
            assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList())
                    .as("no log line per event at INFO or above").hasSizeLessThan(3);
        }
        // answered once journalled; the background fold makes them DELIVERED
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND id IN " + inList) == 120);
        awaitJournalFolded();
        assertThat(hub.count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'DELIVERED' AND notification_id IN " + inList))
                .isEqualTo(120);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.FOLLOWING);

        // LINE redelivers the whole request (it saw no 2xx): 200, nothing recorded twice
        String redelivered = body.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
        assertThat(post(redelivered, sign(redelivered))).isEqualTo(200);
        awaitJournalFolded();
        assertThat(hub.count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'DELIVERED' AND notification_id IN " + inList))
                .isEqualTo(120);
    }

    @Test
    void theSameDeliveryEventsInTwoRequestsAtOnceAreRecordedOnce() throws Exception {
        List<String> ids = sentNotifications(80);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(delivery("01JRACE" + String.format("%019d", i), ids.get(i)));
        }
        String first = envelope(events.toArray(String[]::new));
        java.util.Collections.reverse(events);
        String second = envelope(events.toArray(String[]::new)).replace("\"isRedelivery\":false", "\"isRedelivery\":true");
        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> postQuietly(first));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> postQuietly(second));
        assertThat(a.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(b.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        String inList = "('" + String.join("','", ids) + "')";
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND id IN " + inList) == 80);
        awaitJournalFolded();
        assertThat(hub.count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'DELIVERED' AND notification_id IN " + inList))
                .isEqualTo(80);
    }

    /** Until the background fold has taken every journalled delivery event (line_delivery_receipt empty). */
    private static void awaitJournalFolded() {
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.count("SELECT COUNT(*) FROM line_delivery_receipt") == 0);
    }

    private static int postQuietly(String body) {
        try {
            return post(body, sign(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void linesConnectivityCheckWithNoEventsIsAcknowledged() throws Exception {
        String body = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[]}";
        assertThat(post(body, sign(body))).isEqualTo(200);
    }
}
