package io.linehub.logging;

import io.linehub.json.Json;
import io.linehub.line.LineSignature;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the paths that handle phone numbers, the token and the secret (success, LINE refusal, bad input,
 * bad signature, an internal failure) and API keys (HUB_API_KEY, a key created, used, refused and revoked) and
 * then reads the log the hub wrote: none of them may be in it.
 */
class LogHygieneTest {

    private static final String TOKEN = "tok-7d2b9c1e5a3f4e60b8a1";
    private static final String SECRET = "sec-0f9e8d7c6b5a49382716";

    @TempDir
    Path dataDir;

    private String createdKey;

    @Test
    void logsNeverContainPhoneNumbersTokensOrSecrets() throws Exception {
        Path log = Path.of("target/test-logs/hub-0.log");
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> phones = List.of("081-234-5678", "0812345678", "+66812345678", "66812345678", "+66 81 234 5678",
                "+81 90-1234-5678", "90-1234-5678", "+819012345678", "086 123 4567", "+66861234567", "081-234-567", "+1 212 555 0123");

        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on",
                "line.channel.access.token", TOKEN, "line.channel.secret", SECRET))) {
            List<String> ids = new java.util.ArrayList<>();
            for (String to : List.of("{\"customerId\":\"C-1001\"}", "{\"customerId\":\"C-1004\"}", "{\"phone\":\"+66 81 234 5678\"}",
                    "{\"phone\":\"+81 90-1234-5678\"}")) {
                var r = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":" + to
                        + ",\"data\":{\"orderNumber\":\"L-1\",\"shippedDate\":\"2026-11-27\"}}");
                assertThat(r.statusCode()).isEqualTo(202);
                ids.add(Json.read(r.body()).path("id").asText());
            }
            for (String bad : List.of("081-234-567", "+1 212 555 0123")) {
                assertThat(hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"" + bad
                        + "\"},\"data\":{\"orderNumber\":\"L-1\",\"shippedDate\":\"2026-11-27\"}}").statusCode()).isEqualTo(400);
            }
            // invalid JSON that carries a number: the parser's error must not echo it
            assertThat(hub.post("/api/notifications", "{\"to\":{\"phone\":\"086 123 4567\"").statusCode()).isEqualTo(400);
            // API keys: one created (its text in the answer only), used, refused for a scope, revoked, then refused
            var created = Json.read(hub.post("/api/keys", "{\"name\":\"erp\",\"scopes\":[\"send\"]}").body());
            createdKey = created.path("key").asText();
            assertThat(hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},"
                    + "\"data\":{\"orderNumber\":\"L-2\",\"shippedDate\":\"2026-11-27\"}}", "Authorization", "Bearer " + createdKey).statusCode()).isEqualTo(202);
            assertThat(hub.get("/api/keys", "Authorization", "Bearer " + createdKey).statusCode()).isEqualTo(403);
            assertThat(hub.delete("/api/keys/" + created.path("id").asText()).statusCode()).isEqualTo(204);
            assertThat(hub.get("/api/dead-letters", "Authorization", "Bearer " + createdKey).statusCode()).isEqualTo(401);
            String event = "{\"events\":[]}";
            assertThat(hub.post("/webhook/line/default", event, "x-line-signature", LineSignature.sign("wrong", event.getBytes(StandardCharsets.UTF_8)))
                    .statusCode()).isEqualTo(401);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (String id : ids) {
                    String s = hub.status(id);
                    if (!s.equals("DELIVERED") && !s.equals("FAILED")) {
                        return false;
                    }
                }
                return true;
            });
        }

        String written = since(log, offset);
        assertThat(written).as("the hub logged something during the scenario").contains("queued");
        for (String phone : phones) {
            assertThat(written).as("raw phone number in the log").doesNotContain(phone);
        }
        assertThat(written).doesNotContain(TOKEN).doesNotContain(SECRET);
        assertThat(createdKey).startsWith("lnh_");
        assertThat(written).as("API keys in the log").doesNotContain(TestHub.API_KEY).doesNotContain(createdKey)
                .doesNotContain(createdKey.substring(4));
        // the hashes are personal data too (unsalted, reversible by enumeration)
        assertThat(written).doesNotContain("7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2");
    }

    @Test
    void theLogPatternMasksPhoneNumbersAndBearerTokensThatSlipThrough() throws Exception {
        Path log = Path.of("target/test-logs/hub-0.log");
        long offset = Files.exists(log) ? Files.size(log) : 0;
        org.slf4j.LoggerFactory.getLogger("io.linehub.test").warn("customer 081-234-5678 / +66 81 234 5678 / (02) 123-4567 "
                + "Authorization: Bearer abc.DEF-123_xyz= order 2026-11-27 id 123e4567-e89b-12d3-a456-426614174000");
        String written = since(log, offset);
        assertThat(written).doesNotContain("081-234-5678").doesNotContain("81 234 5678").doesNotContain("123-4567")
                .doesNotContain("abc.DEF-123_xyz=");
        assertThat(written).contains("[phone]").contains("Bearer ***")
                .as("dates and UUIDs are not phone numbers").contains("2026-11-27").contains("123e4567-e89b-12d3-a456-426614174000");
    }

    /** What was appended to the log after a byte offset (the log holds Thai text: bytes, not characters). */
    private static String since(Path log, long offset) throws java.io.IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }
}
