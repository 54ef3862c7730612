package io.linehub.api;

import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;
import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.sandbox.SandboxChannel;
import io.linehub.sandbox.SandboxConfig;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A LINE-compatible server the hub does not own (a sandbox started by the test, outliving the hub):
 * LINE_API_BASE_URL is honoured, and a hub stopped after 202 and before delivery delivers exactly once
 * after it starts again.
 */
class RestartAndExternalLineTest {

    @TempDir
    Path dataDir;

    @Test
    void notificationAcceptedBeforeAStopIsDeliveredOnceAfterRestart() throws Exception {
        int hubPort = TestHub.freePort();
        try (LineSandbox line = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("acme", "external-token-1234", "external-secret-5678",
                        URI.create("http://127.0.0.1:" + hubPort + "/webhook/line/default")))
                .deliveryDelay(Duration.ofMillis(200))
                .build())) {
            line.directory().add(PhoneNumbers.hash("+819012345678"));
            Map<String, String> external = Map.of(
                    "hub.http.port", String.valueOf(hubPort),
                    "hub.sandbox", "off",
                    "line.api.base.url", line.baseUrl(),
                    "line.channel.access.token", "external-token-1234",
                    "line.channel.secret", "external-secret-5678");
            // the customers table is the hub's own here; put one customer in it like a company would
            String id;
            try (TestHub first = TestHub.start(dataDir, with(external, "hub.delivery.enabled", "false"))) {
                try (var c = first.db().getConnection(); var ps = c.prepareStatement(
                        "INSERT INTO customers (customer_id, display_name, phone, country_code) VALUES ('J-1', '田中', '090-1234-5678', 'JP')")) {
                    ps.executeUpdate();
                }
                var r = first.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"J-1\"},"
                        + "\"data\":{\"orderNumber\":\"JP-1\",\"shippedDate\":\"2026-11-27\"}}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                id = Json.read(r.body()).path("id").asText();
                assertThat(first.status(id)).isEqualTo("QUEUED");
            }
            assertThat(line.requests()).as("nothing may reach LINE before the restart").isEmpty();

            try (TestHub second = TestHub.start(dataDir, external)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> second.status(id).equals("DELIVERED"));
                // give a duplicate time to show up before counting
                Thread.sleep(500);
                List<RecordedRequest> sent = line.requests().stream()
                        .filter(r -> id.equals(r.headers().get("X-Line-Delivery-Tag"))).toList();
                assertThat(sent).hasSize(1);
                assertThat(sent.get(0).channel()).isEqualTo("acme");
                assertThat(Json.read(sent.get(0).body()).path("to").asText()).isEqualTo(PhoneNumbers.hash("+819012345678"));
                assertThat(second.notification(id).path("attempts")).hasSize(1);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
