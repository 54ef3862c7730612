package io.linehub.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.Scrape;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/monitoring.md and the Grafana dashboard (docs/grafana/line-hub.json) name only metrics a real hub serves: a
 * hub sends a notification through the sandbox (and refuses one), then every name they use must be in its scrape.
 */
class MonitoringDocsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:hub|camel|jvm|process|system)_[a-z0-9_]+)\\b");

    @TempDir
    Path dataDir;

    static Set<String> namesInDashboard() throws Exception {
        JsonNode dash = Json.read(Files.readString(Path.of("docs/grafana/line-hub.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    static Set<String> namesInDoc() throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(Path.of("docs/monitoring.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyMetricTheDocsAndTheDashboardUseIsServed() throws Exception {
        Set<String> used = new TreeSet<>(namesInDoc());
        used.addAll(namesInDashboard());
        assertThat(namesInDashboard()).as("the dashboard's queries").hasSizeGreaterThan(15);
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.sandbox.accept-all-numbers", "true", "hub.metrics.channel-first-read-ms", "500",
                "hub.metrics.db-interval-seconds", "1", "hub.metrics.channel-interval-seconds", "1"))) {
            assertThat(hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"via\":\"template\",\"to\":{\"phone\":\"+66810000001\"},"
                    + "\"data\":{\"orderNumber\":\"TH-1\",\"shippedDate\":\"2026-11-27\"}}").statusCode()).isEqualTo(202);
            assertThat(hub.post("/api/notifications", "{\"type\":\"nope\"}").statusCode()).isEqualTo(400);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                Scrape s = Scrape.parse(hub.get("/observe/metrics").body());
                assertThat(s.sum("hub_notifications_total", "status", "delivered")).isEqualTo(1.0);
                Set<String> served = s.names();
                Set<String> missing = new TreeSet<>();
                for (String name : used) {
                    if (!served.contains(name) && !served.contains(name + "_bucket") && !served.contains(name + "_count")) {
                        missing.add(name);
                    }
                }
                assertThat(missing).as("named in docs/monitoring.md or docs/grafana/line-hub.json but not served; served: %s", served).isEmpty();
            });
        }
    }
}
