package io.linehub.hostile;

import io.linehub.testsupport.LogCapture;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.friends.FriendStatus;
import io.linehub.json.Json;
import io.linehub.line.LineSignature;
import io.linehub.line.LineWebhook;
import io.linehub.testsupport.HostileCases;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile webhook requests, one per line of {@code src/test/resources/hostile/webhook/cases.ndjson} (add a line to
 * add a case; the format is described in {@code hostile/README.md}). Each must get its documented status naming
 * the field, store and send nothing, log no ERROR and no stack trace, and leave the hub answering a good webhook.
 */
class HostileWebhookTest {

    private static final String SECRET = "hostile-secret-5c1d";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger GOOD = new AtomicInteger();
    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "line.channel.access.token", "hostile-token", "line.channel.secret", SECRET));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static List<JsonNode> cases() throws Exception {
        return HostileCases.read("/hostile/webhook/cases.ndjson");
    }

    @ParameterizedTest(name = "{index} {0}")
    @MethodSource("cases")
    void isAnsweredWithItsStatusAndNamedFieldStoringAndSendingNothing(JsonNode c) throws Exception {
        byte[] body = c.has("bodyBase64") ? Base64.getDecoder().decode(c.path("bodyBase64").asText())
                : c.path("body").asText().getBytes(StandardCharsets.UTF_8);
        long notifications = hub.count("SELECT COUNT(*) FROM notification");
        long friends = hub.count("SELECT COUNT(*) FROM line_friend");
        int sandboxRequests = hub.sandbox().requests().size();
        long skippedBefore = webhook().skippedEvents();
        HttpResponse<String> answer;
        List<String> errors;
        String logged;
        try (LogCapture log = new LogCapture()) {
            answer = send(c.path("path").asText("/webhook/line/default"), c.path("contentType").isNull() ? null : c.path("contentType").asText(),
                    c.path("sign").asText(), body);
            errors = log.errorsOrStackTraces();
            logged = log.all();
        }

        assertThat(answer.statusCode()).as("status; answer %s", answer.body()).isEqualTo(c.path("status").asInt());
        if (c.has("field")) {
            JsonNode error = Json.read(answer.body());
            assertThat(error.path("field").asText()).as(answer.body()).isEqualTo(c.path("field").asText());
            assertThat(error.path("reason").asText()).isNotBlank();
        }
        assertThat(errors).as("ERROR or stack trace logged").isEmpty();
        assertThat(webhook().skippedEvents() - skippedBefore).as("events skipped").isEqualTo(c.path("skipped").asLong(0));
        List<String> follows = new ArrayList<>();
        c.path("follows").forEach(u -> follows.add(u.asText()));
        for (String user : follows) {
            assertThat(friends().status("default", user)).as("the request's good event was handled").contains(FriendStatus.Status.FOLLOWING);
        }
        assertThat(hub.count("SELECT COUNT(*) FROM line_friend")).as("only the good events' users recorded").isLessThanOrEqualTo(friends + follows.size());
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).as("nothing stored").isEqualTo(notifications);
        assertThat(hub.sandbox().requests()).as("nothing sent to LINE").hasSize(sandboxRequests);
        // the submitted body is never echoed into the answer or the log (long values stand in for secrets)
        if (body.length >= 200) {
            String text = new String(body, StandardCharsets.UTF_8);
            String probe = text.substring(text.length() / 2, text.length() / 2 + 50);
            assertThat(answer.body()).doesNotContain(probe);
            assertThat(logged).doesNotContain(probe);
        }

        // and the hub still takes a good webhook
        String user = "U" + UUID.randomUUID().toString().replace("-", "");
        String good = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[{\"type\":\"follow\",\"mode\":\"active\",\"timestamp\":1,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},\"webhookEventId\":\"01JGOOD" + String.format("%019d", GOOD.incrementAndGet())
                + "\",\"replyToken\":\"r\",\"deliveryContext\":{\"isRedelivery\":false},\"follow\":{\"isUnblocked\":false}}]}";
        assertThat(send("/webhook/line/default", "application/json", "valid", good.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(friends().status("default", user)).contains(FriendStatus.Status.FOLLOWING);
    }

    private static HttpResponse<String> send(String path, String contentType, String sign, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url(path))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        String signature = switch (sign) {
            case "valid" -> LineSignature.sign(SECRET, body);
            case "wrong" -> LineSignature.sign("not-the-channel-secret", body);
            case "empty" -> "";
            case "garbage" -> "not base64 at all!";
            case "long" -> "A".repeat(2000);
            case "none" -> null;
            default -> throw new IllegalArgumentException("sign: " + sign);
        };
        if (signature != null) {
            b.header("x-line-signature", signature);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static LineWebhook webhook() {
        return hub.bean("lineWebhook", LineWebhook.class);
    }

    private static FriendStatus friends() {
        return hub.bean("friendStatus", FriendStatus.class);
    }
}
