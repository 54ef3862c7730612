package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.inbox.Inbox;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /api/files and /api/files/{name}: the progress of a large drop while it is read and once it is done. */
class FilesApiTest {

    static final int ROWS = 4_000;

    @TempDir
    static Path dataDir;
    static TestHub hub;
    static Inbox inbox;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "200", "hub.inbox.checkpoint-rows", "200",
                "hub.delivery.enabled", "false"));
        inbox = new Inbox(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static byte[] csv(String prefix, int rows) {
        StringBuilder b = new StringBuilder("customer_id,type,orderNumber,shippedDate,idempotency_key\r\n");
        for (int i = 1; i <= rows; i++) {
            b.append("C-100").append(1 + i % 3).append(",shipping_complete,").append(prefix).append(i).append(",2026-11-27,")
                    .append(prefix).append(i).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String path(String name) {
        return "/api/files/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void largeDropShowsGrowingProgressWhileReadAndItsTotalsOnceDone() throws Exception {
        String name = "รายการ ใหญ่-large.csv";
        inbox.drop(name, csv("L-", ROWS));
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(150)).until(() -> {
            HttpResponse<String> r = hub.get(path(name));
            if (r.statusCode() == 200) {
                JsonNode f = Json.MAPPER.readTree(r.body());
                seen.add(f);
                return f.path("state").asText().equals("done");
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            return false;
        });
        List<JsonNode> during = seen.stream().filter(f -> f.path("state").asText().equals("reading") && f.path("rowsRead").asLong() > 0).toList();
        assertThat(during).as("progress seen while the file was read").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < during.size(); i++) {
            assertThat(during.get(i).path("rowsRead").asLong()).isGreaterThanOrEqualTo(during.get(i - 1).path("rowsRead").asLong());
        }
        JsonNode mid = during.get(during.size() / 2);
        assertThat(mid.path("totalRows").asLong()).isEqualTo(ROWS);
        assertThat(mid.path("rowsRead").asLong()).isLessThan(ROWS).isEqualTo(mid.path("accepted").asLong() + mid.path("rejected").asLong());
        assertThat(mid.path("rowsRead").asLong() % 200).as("checkpoints of 200 rows").isZero();
        assertThat(mid.path("progress").asDouble()).isBetween(0.0, 1.0).isEqualTo((double) mid.path("rowsRead").asLong() / ROWS);
        assertThat(mid.path("rowsPerSecond").asDouble()).isPositive();
        assertThat(mid.path("estimatedSecondsLeft").isIntegralNumber()).as(mid.toString()).isTrue();
        assertThat(mid.path("finishedAt").isNull()).isTrue();
        assertThat(during.get(during.size() - 1).path("rowsRead").asLong()).isGreaterThan(during.get(0).path("rowsRead").asLong());

        JsonNode done = seen.get(seen.size() - 1);
        assertThat(done.path("name").asText()).isEqualTo(name);
        assertThat(done.path("rowsRead").asLong()).isEqualTo(ROWS);
        assertThat(done.path("accepted").asLong()).isEqualTo(ROWS);
        assertThat(done.path("rejected").asLong()).isZero();
        assertThat(done.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(done.path("finishedAt").asText()).isNotBlank();
        assertThat(done.path("estimatedSecondsLeft").isNull()).isTrue();
        assertThat(done.path("report").asText()).isEqualTo(path(name) + "/report");

        HttpResponse<String> list = hub.get("/api/files");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(list.body()).path("files").findValuesAsText("name")).contains(name);

        HttpResponse<String> report = hub.get(done.path("report").asText());
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = report.body().split("\r\n");
        assertThat(lines).hasSize(ROWS + 1);
        assertThat(lines[0]).isEqualTo("row,result,notification_id,field,reason");
        assertThat(lines[ROWS]).startsWith(ROWS + ",accepted,");
    }

    @Test
    void unknownFileIs404AndTheListNeedsAKey() throws Exception {
        assertThat(hub.get(path("no-such-file.csv")).statusCode()).isEqualTo(404);
        assertThat(hub.get(path("../../etc/passwd") + "/report").statusCode()).isEqualTo(404);
        assertThat(hub.get("/api/files", "Authorization", TestHub.NO_AUTH).statusCode()).isEqualTo(401);
        assertThat(hub.get("/api/files?limit=0").statusCode()).isEqualTo(400);
    }
}
