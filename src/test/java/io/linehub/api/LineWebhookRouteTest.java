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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void linesConnectivityCheckWithNoEventsIsAcknowledged() throws Exception {
        String body = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[]}";
        assertThat(post(body, sign(body))).isEqualTo(200);
    }
}
