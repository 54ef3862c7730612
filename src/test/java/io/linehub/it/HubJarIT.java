package io.linehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, for real: {@code java -jar target/line-notification-hub.jar} from the project
 * folder with nothing configured but ports and a data directory. The demo notification and one posted as the
 * README shows both reach DELIVERED within 10 s, called with the quick-start key the hub wrote to
 * {@code $HUB_DATA_DIR/api-key} (as the README's curl reads it), which its log names but never shows.
 */
class HubJarIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The API key the calls to /api send (the quick-start key, once the hub wrote it). */
    private String apiKey = "";

    @TempDir
    Path dataDir;
    private Process hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.destroy();
            if (!hub.waitFor(20, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    @Test
    void firstRunDeliversTheDemoNotificationAndAPostedOne() throws Exception {
        Path jar = Path.of(System.getProperty("hub.jar", "target/line-notification-hub.jar"));
        assertThat(jar).exists();
        int port = TestHub.freePort();
        int sandboxPort = TestHub.freePort();
        Path log = dataDir.resolve("hub.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("LINE_"));
        pb.environment().put("HUB_HTTP_PORT", String.valueOf(port));
        pb.environment().put("HUB_SANDBOX_PORT", String.valueOf(sandboxPort));
        pb.environment().put("HUB_DATA_DIR", dataDir.resolve("data").toString());
        hub = pb.start();
        String base = "http://127.0.0.1:" + port;
        Path keyFile = dataDir.resolve("data").resolve("api-key");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> Files.isRegularFile(keyFile));
        apiKey = Files.readString(keyFile).trim();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        // the demo notification: find it in the sandbox's request log, then follow it through the API
        // (the sandbox also logs the metrics' reads of LINE's quota endpoints: the demo is the request with a delivery tag)
        String[] demoTag = {null};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            for (JsonNode r : get("http://127.0.0.1:" + sandboxPort + "/sandbox/requests")) {
                if (!r.at("/headers/X-Line-Delivery-Tag").asText().isEmpty()) {
                    demoTag[0] = r.at("/headers/X-Line-Delivery-Tag").asText();
                    return true;
                }
            }
            return false;
        });
        String demoId = demoTag[0];
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> get(base + "/api/notifications/" + demoId).path("status").asText().equals("DELIVERED"));
        JsonNode demo = get(base + "/api/notifications/" + demoId);
        assertThat(Duration.between(Instant.parse(demo.path("createdAt").asText()), Instant.parse(demo.path("deliveredAt").asText())))
                .isLessThan(Duration.ofSeconds(10));

        // the README's curl
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/notifications"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-2001\"},"
                        + "\"data\":{\"orderNumber\":\"JP-2026-0042\",\"shippedDate\":\"2026-11-27\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = Json.read(posted.body()).path("id").asText();
        Instant accepted = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/api/notifications/" + id).path("status").asText().equals("DELIVERED"));
        assertThat(Duration.between(accepted, Instant.now())).isLessThan(Duration.ofSeconds(10));

        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Files.readString(log)).contains("LINE sandbox on").doesNotContain("081-234-5678");
        assertThat(Files.readString(log)).contains(keyFile.toAbsolutePath().toString()).doesNotContain(apiKey);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + apiKey)
                        .timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return Json.read(r.body());
    }

    @Test
    void theSandboxRunsOnItsOwnForOtherPrograms() throws Exception {
        Path jar = Path.of(System.getProperty("hub.jar", "target/line-notification-hub.jar"));
        int port = TestHub.freePort();
        hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "sandbox", "--port", String.valueOf(port), "--channel", "acme:acme-token:acme-secret", "--accept-all")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("sandbox.log").toFile()).start();
        String url = "http://127.0.0.1:" + port + "/v2/bot/message/pnp/templated/push";
        String body = "{\"to\":\"7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2\",\"templateKey\":\"shipment_completed_ja\"}";
        HttpResponse<String> accepted = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer acme-token").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()), r -> r != null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("x-line-request-id")).isPresent();
        HttpResponse<String> wrongToken = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer nope")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(get("http://127.0.0.1:" + port + "/sandbox/requests")).hasSize(2);
    }
}
