package io.linehub.observe;

import io.linehub.json.Json;
import io.linehub.testsupport.Scrape;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.linehub.testsupport.TestHub.NO_AUTH;
import static org.assertj.core.api.Assertions.assertThat;

/** /observe/metrics: Prometheus text, behind a read key unless HUB_METRICS_OPEN, 404 with metrics off. */
class MetricsEndpointTest {

    @TempDir
    Path dataDir;

    @Test
    void metricsNeedAKeyWithTheScopeRead() throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.metrics.channel-first-read-ms", "500"))) {
            assertThat(hub.get("/observe/metrics", "Authorization", NO_AUTH).statusCode()).isEqualTo(401);
            String sendOnly = Json.read(hub.post("/api/keys", Json.write(Map.of("name", "sender", "scopes", List.of("send")))).body())
                    .path("key").asText();
            assertThat(hub.get("/observe/metrics", "Authorization", "Bearer " + sendOnly).statusCode()).isEqualTo(403);
            String reader = Json.read(hub.post("/api/keys", Json.write(Map.of("name", "scraper", "scopes", List.of("read")))).body())
                    .path("key").asText();
            HttpResponse<String> r = hub.get("/observe/metrics", "Authorization", "Bearer " + reader);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            Scrape s = Scrape.parse(r.body());
            // Camel's route metrics and the JVM's, in the same registry as the hub's own
            assertThat(s.names()).contains("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "process_cpu_usage", "jvm_threads_live_threads",
                    "hub_rate_budget", "hub_outbox_notifications", "hub_line_quota_limit");
            assertThat(s.names()).anyMatch(n -> n.startsWith("camel_exchanges"));
            // health stays open without a key (UP once every polling consumer has polled: Camel's readiness)
            assertHealthUpWithoutKey(hub);
        }
    }

    @Test
    void metricsOpenForAScraperWhenConfigured() throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.metrics.open", "true", "hub.metrics.channel-first-read-ms", "500"))) {
            HttpResponse<String> r = hub.get("/observe/metrics", "Authorization", NO_AUTH);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Scrape.parse(r.body()).names()).contains("hub_rate_budget");
            // the API itself still needs a key
            assertThat(hub.get("/api/dead-letters", "Authorization", NO_AUTH).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void metricsOffAnswer404() throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.metrics.enabled", "false", "hub.metrics.channel-first-read-ms", "500"))) {
            assertThat(hub.get("/observe/metrics").statusCode()).isEqualTo(404);
            assertHealthUpWithoutKey(hub);
        }
    }

    private static void assertHealthUpWithoutKey(TestHub hub) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(hub.get("/observe/health", "Authorization", NO_AUTH).statusCode()).isEqualTo(200));
    }
}
