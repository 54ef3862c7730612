package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/notifications/batch on a real hub: JSON array and NDJSON, partial success, idempotency per item. */
class BatchApiTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static String item(String customer, String order) {
        return "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"" + customer + "\"},\"data\":{\"orderNumber\":\"" + order
                + "\",\"shippedDate\":\"2026-11-27\",\"itemName\":\"ชุดกาแฟดริป\"}}";
    }

    @Test
    void jsonArrayWithBadItemsAnswers207WithEachItemsIdOrError() throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications/batch", "[" + item("C-1001", "B-1") + ","
                + "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-9999\"},\"data\":{\"orderNumber\":\"B-2\",\"shippedDate\":\"2026-11-27\"}},"
                + "42,"
                + "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-2001\"},\"data\":{\"orderNumber\":\"B-4\"}},"
                + item("C-3001", "B-5") + "]");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        JsonNode results = Json.read(r.body());
        assertThat(results).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
        }
        assertThat(results.get(0).path("status").asText()).isEqualTo("QUEUED");
        assertThat(hub.notification(results.get(0).path("id").asText()).at("/recipient/customerId").asText()).isEqualTo("C-1001");
        assertThat(results.get(1).at("/error/field").asText()).isEqualTo("to.customerId");
        assertThat(results.get(2).at("/error/field").asText()).isEqualTo("body");
        assertThat(results.get(3).at("/error/field").asText()).isEqualTo("data.shippedDate");
        assertThat(results.get(3).at("/error/status").asInt()).isEqualTo(400);
        assertThat(results.get(4).path("id").asText()).isNotBlank();
    }

    @Test
    void ndjsonAllAcceptedAnswers200AndIdempotencyKeysHoldPerItem() throws Exception {
        String body = item("C-1002", "N-1").replaceFirst("\\{", "{\"idempotencyKey\":\"batch-own-key-1\",") + "\r\n\r\n" + item("C-1003", "N-2") + "\n";
        HttpResponse<String> first = hub.post("/api/notifications/batch", body, "Content-Type", "application/x-ndjson", "Idempotency-Key", "upload-77");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        long before = hub.count("SELECT COUNT(*) FROM notification");

        HttpResponse<String> again = hub.post("/api/notifications/batch", body, "Content-Type", "application/x-ndjson", "Idempotency-Key", "upload-77");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.read(again.body()).findValuesAsText("id")).isEqualTo(Json.read(first.body()).findValuesAsText("id"));
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(before);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key IN ('batch-own-key-1', 'upload-77:1')")).isEqualTo(2);

        // the same key for another body: that item is refused, the request as a whole is not
        HttpResponse<String> changed = hub.post("/api/notifications/batch", body.replace("N-2", "N-2b"),
                "Content-Type", "application/x-ndjson", "Idempotency-Key", "upload-77");
        assertThat(changed.statusCode()).isEqualTo(207);
        assertThat(Json.read(changed.body()).get(1).at("/error/error").asText()).isEqualTo("idempotency_key_reused");
        assertThat(Json.read(changed.body()).get(1).at("/error/status").asInt()).isEqualTo(422);
    }

    @Test
    void wrongContentTypeOrShapeOrSizeIsRefusedAsAWhole() throws Exception {
        assertThat(hub.post("/api/notifications/batch", item("C-1001", "X"), "Content-Type", "text/csv").statusCode()).isEqualTo(415);
        assertThat(hub.post("/api/notifications/batch", item("C-1001", "X")).statusCode()).isEqualTo(400);
        assertThat(hub.post("/api/notifications/batch", "[]").statusCode()).isEqualTo(400);
        String many = "[" + String.join(",", java.util.Collections.nCopies(1001, item("C-1001", "X"))) + "]";
        HttpResponse<String> tooMany = hub.post("/api/notifications/batch", many);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(Json.read(tooMany.body()).path("reason").asText()).contains("1000");
    }
}
