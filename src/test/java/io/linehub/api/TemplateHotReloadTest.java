package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, on a running hub: a changed template is used without a restart (and recorded as a new version); a
 * broken change is refused, the last good one is used, and /observe/health says why (degraded, not DOWN).
 */
class TemplateHotReloadTest {

    static final String SEND = "{\"type\":\"payment_reminder\",\"via\":\"push\",\"to\":{\"userId\":\"U2002f0e1d2c3b4a5968778695a4b3c2d\"},"
            + "\"language\":\"en\",\"data\":{\"invoiceNumber\":\"R-1\",\"amount\":{\"amount\":10,\"currency\":\"USD\"},\"dueDate\":\"2026-12-01\"}}";

    @Test
    void templatesAreReloadedWhileTheHubRuns(@TempDir Path dataDir, @TempDir Path templates) throws Exception {
        try (var files = Files.list(Path.of("config/templates"))) {
            for (Path f : files.toList()) {
                Files.copy(f, templates.resolve(f.getFileName()));
            }
        }
        Path file = templates.resolve("payment_reminder.yaml");
        String good = Files.readString(file);
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.templates.dir", templates.toString(),
                "hub.templates.reload-seconds", "1"))) {
            String before = hub.notification(id(hub.post("/api/notifications", SEND))).path("templateVersion").asText();

            Files.writeString(file, good.replace("title: \"Payment reminder\"", "title: \"Your payment is due soon\""));
            await().atMost(Duration.ofSeconds(10)).until(() -> preview(hub).contains("Your payment is due soon"));
            String after = hub.notification(id(hub.post("/api/notifications", SEND))).path("templateVersion").asText();
            assertThat(after).isNotEqualTo(before).hasSize(64);

            Files.writeString(file, good.replace("type: money", "type: cash"));
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.get("/observe/health").body().contains("last reload failed"));
            HttpResponse<String> health = hub.get("/observe/health");
            assertThat(health.statusCode()).as("degraded, not DOWN").isEqualTo(200);
            assertThat(health.body()).contains("templates: last reload failed: payment_reminder.yaml: field 'amount': unknown field type 'cash'");
            // the last good templates are still used
            assertThat(preview(hub)).contains("Your payment is due soon");
            assertThat(hub.notification(id(hub.post("/api/notifications", SEND))).path("templateVersion").asText()).isEqualTo(after);
        }
    }

    private static String preview(TestHub hub) throws Exception {
        return hub.post("/api/templates/payment_reminder/preview", "{\"language\":\"en\"}").body();
    }

    private static String id(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode n = Json.read(r.body());
        return n.path("id").asText();
    }
}
