package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.line.LineSignature;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.testsupport.LineOpenApi;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The foundation path end to end against the embedded sandbox: REST intake → outbox → LINE → webhook. */
class NotificationApiTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    private static final String SHIPPING = "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"%s\"},"
            + "\"data\":{\"orderNumber\":\"TH-2026-000123\",\"shippedDate\":\"2026-11-27\"}}";

    @BeforeAll
    static void start() throws Exception {
        // the sandbox's token and secret are known to the test so that it can sign webhooks as LINE would
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on",
                "line.channel.access.token", "test-token-4f1c", "line.channel.secret", "test-secret-9a7e"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static String queued(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = Json.read(r.body());
        assertThat(body.path("status").asText()).isEqualTo("QUEUED");
        return body.path("id").asText();
    }

    @Test
    void notificationForACustomerIsSentAndDelivered() throws Exception {
        String id = queued(hub.post("/api/notifications", SHIPPING.formatted("C-1001")));

        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("DELIVERED"));

        JsonNode n = hub.notification(id);
        assertThat(n.at("/recipient/phone").asText()).isEqualTo("+66 8xxxx5678");
        assertThat(n.at("/recipient/country").asText()).isEqualTo("TH");
        assertThat(n.path("attempts")).hasSize(1);
        assertThat(n.at("/attempts/0/httpStatus").asInt()).isEqualTo(202);
        assertThat(n.at("/attempts/0/lineRequestId").asText()).isNotBlank();
        assertThat(n.path("history").findValuesAsText("status")).containsExactly("QUEUED", "SENDING", "SENT", "DELIVERED");

        RecordedRequest sent = sandboxRequestTagged(id);
        assertThat(Json.read(sent.body()).path("to").asText())
                .isEqualTo("7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2");
        assertThat(sent.headers()).containsEntry("X-Line-Delivery-Tag", id).doesNotContainKey("X-Line-Retry-Key");
    }

    @Test
    void notificationByPhoneUsesTheDefaultRegion() throws Exception {
        String id = queued(hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"089 765 4321\"},"
                + "\"data\":{\"orderNumber\":\"A-1\",\"shippedDate\":\"2026-11-27\"}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("DELIVERED"));
        assertThat(Json.read(sandboxRequestTagged(id).body()).path("to").asText())
                .isEqualTo(io.linehub.phone.PhoneNumbers.hash("+66897654321"));
    }

    @Test
    void numberThatIsNoLineUserFailsWithLinesReason() throws Exception {
        String id = queued(hub.post("/api/notifications", SHIPPING.formatted("C-1004")));
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("FAILED"));
        JsonNode n = hub.notification(id);
        assertThat(n.path("lastError").asText()).contains("422").contains("Failed to send messages");
        assertThat(n.at("/attempts/0/httpStatus").asInt()).isEqualTo(422);
    }

    @Test
    void unknownNotificationIsNotFound() throws Exception {
        HttpResponse<String> r = hub.get("/api/notifications/00000000-0000-0000-0000-000000000000");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.read(r.body()).path("error").asText()).isEqualTo("not_found");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid JSON                 | {"type":"shipping_complete",                                                                                       | body
            not an object                | [1,2]                                                                                                              | body
            unknown type                 | {"type":"pizza_party","to":{"customerId":"C-1001"},"data":{}}                                                      | type
            missing type                 | {"to":{"customerId":"C-1001"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}                               | type
            over-long type               | {"type":"%s","to":{"customerId":"C-1001"},"data":{}}                                                               | type
            missing to                   | {"type":"shipping_complete","data":{"orderNumber":"1","shippedDate":"2026-11-27"}}                                 | to
            both customer and phone      | {"type":"shipping_complete","to":{"customerId":"C-1001","phone":"0812345678"},"data":{}}                           | to
            unknown field                | {"type":"shipping_complete","to":{"customerId":"C-1001"},"data":{},"priority":"high"}                              | priority
            missing data                 | {"type":"shipping_complete","to":{"customerId":"C-1001"}}                                                          | data
            missing business field       | {"type":"shipping_complete","to":{"customerId":"C-1001"},"data":{"orderNumber":"1"}}                               | data.shippedDate
            over-long business field     | {"type":"shipping_complete","to":{"customerId":"C-1001"},"data":{"orderNumber":"%s","shippedDate":"2026-11-27"}}   | data.orderNumber
            over-long customer id        | {"type":"shipping_complete","to":{"customerId":"%s"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}        | to.customerId
            unknown customer             | {"type":"shipping_complete","to":{"customerId":"C-9999"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}    | to.customerId
            not a phone number           | {"type":"shipping_complete","to":{"phone":"hello"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}          | to.phone
            invalid phone number         | {"type":"shipping_complete","to":{"phone":"081-234-567"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}    | to.phone
            number outside JP, TH, TW    | {"type":"shipping_complete","to":{"phone":"+1 212 555 0123"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}| to.phone
            over-long phone              | {"type":"shipping_complete","to":{"phone":"%s"},"data":{"orderNumber":"1","shippedDate":"2026-11-27"}}             | to.phone
            unknown LINE channel         | {"type":"shipping_complete","to":{"customerId":"C-1001"},"channel":"carrier-pigeon","data":{}}                     | channel
            unsupported delivery kind    | {"type":"shipping_complete","to":{"customerId":"C-1001"},"via":"carrier-pigeon","data":{}}                         | via
            """)
    void badInputIsRefusedNamingTheFieldAndNothingIsQueued(String what, String body, String field) throws Exception {
        long before = hub.count("SELECT COUNT(*) FROM notification");
        String filled = body.replace("%s", "x".repeat(300));
        HttpResponse<String> r = hub.post("/api/notifications", filled);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Json.read(r.body());
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("reason").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("081-234-567").doesNotContain("212 555");
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(before);
    }

    @Test
    void webhookWithoutOrWithWrongSignatureIsRefusedAndChangesNothing() throws Exception {
        String id = queued(hub.post("/api/notifications", SHIPPING.formatted("C-2001"), "Idempotency-Key", "sig-test-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub.status(id).equals("QUEUED") && !hub.status(id).equals("SENDING"));
        // pretend LINE delivered it, but sign wrongly: the notification must stay as it is
        hub.sandbox().clearRequests();
        String event = "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{\"type\":\"delivery\",\"delivery\":{\"data\":\"" + id
                + "\"},\"webhookEventId\":\"01HZZZZZZZZZZZZZZZZZZZZZZ1\",\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":1,\"mode\":\"active\"}]}";
        String statusBefore = hub.status(id);
        long historyBefore = hub.count("SELECT COUNT(*) FROM notification_status_history");

        HttpResponse<String> missing = hub.post("/webhook/line/default", event);
        HttpResponse<String> wrong = hub.post("/webhook/line/default", event, "x-line-signature",
                LineSignature.sign("not-the-secret", event.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> tampered = hub.post("/webhook/line/default", event.replace("\"timestamp\":1", "\"timestamp\":2"),
                "x-line-signature", LineSignature.sign("test-secret-9a7e", event.getBytes(StandardCharsets.UTF_8)));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(Json.read(wrong.body()).path("field").asText()).isEqualTo("x-line-signature");
        assertThat(hub.status(id)).isEqualTo(statusBefore);
        assertThat(hub.count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(historyBefore);
    }

    @Test
    void correctlySignedWebhookIsAcceptedOnceEvenWhenRedelivered() throws Exception {
        String event = "{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{\"type\":\"follow\",\"follow\":{\"isUnblocked\":false},"
                + "\"source\":{\"type\":\"user\",\"userId\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\"},\"webhookEventId\":\"01HYYYYYYYYYYYYYYYYYYYYYY1\","
                + "\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":1,\"mode\":\"active\"},{\"type\":\"someFutureEvent\","
                + "\"webhookEventId\":\"01HYYYYYYYYYYYYYYYYYYYYYY2\",\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":1,\"mode\":\"active\"}]}";
        String sig = LineSignature.sign("test-secret-9a7e", event.getBytes(StandardCharsets.UTF_8));
        long before = hub.count("SELECT COUNT(*) FROM line_webhook_event");

        assertThat(hub.post("/webhook/line/default", event, "x-line-signature", sig).statusCode()).isEqualTo(200);
        assertThat(hub.post("/webhook/line/default", event, "x-line-signature", sig).statusCode()).isEqualTo(200);

        assertThat(hub.count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(before + 2);
    }

    @Test
    void webhookForAnUnknownChannelIsNotFound() throws Exception {
        assertThat(hub.post("/webhook/line/nope", "{\"events\":[]}", "x-line-signature", "x").statusCode()).isEqualTo(404);
    }

    @Test
    void sameIdempotencyKeyAndBodyGivesTheSameNotification() throws Exception {
        String body = SHIPPING.formatted("C-3001");
        String first = queued(hub.post("/api/notifications", body, "Idempotency-Key", "order-778-shipped"));
        HttpResponse<String> again = hub.post("/api/notifications", body, "Idempotency-Key", "order-778-shipped");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.read(again.body()).path("id").asText()).isEqualTo(first);
        HttpResponse<String> other = hub.post("/api/notifications", SHIPPING.formatted("C-3002"), "Idempotency-Key", "order-778-shipped");
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(Json.read(other.body()).path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'order-778-shipped'")).isEqualTo(1);
    }

    @Test
    void everyRequestTheHubSentValidatesAgainstLinesOpenApi() throws Exception {
        queued(hub.post("/api/notifications", SHIPPING.formatted("C-2002")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub.sandbox().requests().isEmpty());
        List<RecordedRequest> requests = hub.sandbox().requests();
        assertThat(requests).isNotEmpty();
        for (RecordedRequest r : requests) {
            Map<String, String> headers = new HashMap<>(r.headers());
            assertThat(LineOpenApi.validate(r.method(), r.path(), headers, r.body())).as(r.body()).isEmpty();
        }
    }

    private static RecordedRequest sandboxRequestTagged(String id) {
        return hub.sandbox().requests().stream()
                .filter(r -> id.equals(r.headers().get("X-Line-Delivery-Tag")))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one request for " + id);
                })
                .orElseThrow(() -> new AssertionError("the sandbox received no request for " + id));
    }
}
