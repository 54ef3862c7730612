package io.linehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a real hub process while 100,000 notifications (LON and push) are in flight, then a restart, against
 * a LINE sandbox in its own process whose record of what it sent survives the hub. Afterwards: every notification
 * has a final status, no push/multicast recipient got a message twice, and any LON sent twice is among those the
 * hub recorded UNCERTAIN.
 */
class CrashRecoveryIT {

    static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");
    static final int LON = 50_000;
    static final int PUSH = 50_000;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    final String schema = "hub_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private Process java(String name, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
                System.getProperty("hub.jar", "target/line-notification-hub.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("LINE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String userId(int i) {
        return "U" + String.format("%032x", i + 1);
    }

    @Test
    void killDashNineWhileSendingLosesNothingAndDuplicatesNoPush() throws Exception {
        String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        int hubPort = TestHub.freePort();
        int linePort = TestHub.freePort();
        java("sandbox", Map.of(), "sandbox", "--port", String.valueOf(linePort), "--accept-all", "--max-recorded", "400000",
                "--latency-ms", "20:10", "--delivery-delay-ms", "300",
                "--channel", "default:crash-token:crash-secret:http://127.0.0.1:" + hubPort + "/webhook/line/default");
        String line = "http://127.0.0.1:" + linePort;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(line + "/sandbox/requests").isArray());
        List<String> friends = new ArrayList<>();
        for (int i = 0; i < PUSH; i++) {
            friends.add(userId(i));
        }
        HTTP.send(HttpRequest.newBuilder(URI.create(line + "/sandbox/channels/default/friends"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(friends))).build(), HttpResponse.BodyHandlers.discarding());

        try (HikariDataSource db = Database.open("crash-test", url, PG_USER, null, 2)) {
            Database.migrate(db);
            insert(db);
        }

        Map<String, String> env = new HashMap<>(Map.of("HUB_HTTP_PORT", String.valueOf(hubPort), "HUB_DATA_DIR", dir.resolve("data").toString(),
                "HUB_DB_URL", url, "HUB_DB_USER", PG_USER, "HUB_SANDBOX", "off", "LINE_API_BASE_URL", line,
                "LINE_CHANNEL_ACCESS_TOKEN", "crash-token", "LINE_CHANNEL_SECRET", "crash-secret"));
        env.putAll(Map.of("HUB_DELIVERY_LEASE_SECONDS", "20", "HUB_DELIVERY_UNCERTAIN_AFTER", "PT5S", "HUB_DELIVERY_UNCERTAIN_POLICY", "RESEND",
                "HUB_DELIVERY_UNDELIVERED_AFTER", "PT20S", "HUB_DELIVERY_HOUSEKEEPING_INTERVAL_MS", "1000", "HUB_DELIVERY_POLL_INTERVAL_MS", "50"));
        Process first = java("hub-1", env);
        try (HikariDataSource db = Database.open("crash-watch", url, PG_USER, null, 2)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(db, "SELECT COUNT(*) FROM notification WHERE status IN ('SENT','DELIVERED')") >= 30_000);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
            first.waitFor(30, TimeUnit.SECONDS);
            long inFlight = count(db, "SELECT COUNT(*) FROM notification WHERE status = 'SENDING'");
            assertThat(inFlight).as("the kill caught notifications in flight").isPositive();

            java("hub-2", env);
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).until(() -> count(db,
                    "SELECT COUNT(*) FROM notification WHERE status IN ('QUEUED','SENDING','RETRY_WAIT','UNCERTAIN')"
                            + " OR (status = 'SENT' AND line_operation LIKE 'pnp-%')") == 0);

            assertThat(count(db, "SELECT COUNT(*) FROM notification")).isEqualTo(LON + PUSH);
            assertThat(count(db, "SELECT COUNT(*) FROM notification WHERE line_operation LIKE 'pnp-%' AND status IN ('DELIVERED','UNDELIVERED')")).isEqualTo(LON);
            assertThat(count(db, "SELECT COUNT(*) FROM notification WHERE line_operation = 'push' AND status = 'SENT'")).isEqualTo(PUSH);

            Set<String> uncertainHashes = new HashSet<>();
            try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT DISTINCT n.recipient_hash FROM notification n JOIN notification_status_history h ON h.notification_id = n.id"
                            + " WHERE h.status = 'UNCERTAIN'")) {
                while (rs.next()) {
                    uncertainHashes.add(rs.getString(1));
                }
            }
            Map<String, Integer> perRecipient = new HashMap<>();
            Map<String, Integer> perLon = new HashMap<>();
            for (JsonNode s : get(line + "/sandbox/sent")) {
                String endpoint = s.path("endpoint").asText();
                for (JsonNode r : s.path("recipients")) {
                    if (endpoint.startsWith("PNP")) {
                        perLon.merge(r.asText(), 1, Integer::sum);
                    } else {
                        perRecipient.merge(r.asText(), 1, Integer::sum);
                    }
                }
            }
            assertThat(perRecipient).hasSize(PUSH);
            assertThat(perRecipient.values()).as("no push or multicast recipient got a message twice").allMatch(n -> n == 1);
            assertThat(perLon).hasSize(LON);
            perLon.forEach((hash, n) -> {
                if (n > 1) {
                    assertThat(uncertainHashes).as("a LON sent twice must have been recorded UNCERTAIN").contains(hash);
                }
            });
            System.out.printf("crash test: %d in flight at the kill, %d LONs recorded UNCERTAIN, %d LONs sent twice%n", inFlight,
                    uncertainHashes.size(), perLon.values().stream().filter(n -> n > 1).count());
        }
    }

    private void insert(HikariDataSource db) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO notification (id, type, channel, line_operation,"
                + " status, recipient_hash, recipient_user_id, data, line_request, delivery_tag, retry_key, content_digest, attempts, next_attempt_at,"
                + " created_at, updated_at, expires_at, channel_decision) VALUES (?,?,?,?,'QUEUED',?,?,'{}',?,?,?,?,0,?,?,?,?,'crash test')")) {
            c.setAutoCommit(false);
            for (int i = 0; i < LON + PUSH; i++) {
                String id = UUID.randomUUID().toString();
                boolean lon = i % 2 == 0;
                int k = i / 2;
                String hash = PhoneNumbers.hash("+668" + String.format("%08d", k));
                ps.setString(1, id);
                ps.setString(2, "shipping_complete");
                ps.setString(3, "default");
                ps.setString(4, lon ? "pnp-template" : "push");
                ps.setString(5, lon ? hash : null);
                ps.setString(6, lon ? null : userId(k));
                ps.setString(7, lon ? "{\"to\":\"" + hash + "\",\"templateKey\":\"shipment_completed_ja\"}"
                        : "{\"to\":\"" + userId(k) + "\",\"messages\":[{\"type\":\"text\",\"text\":\"Your parcel has shipped\"}]}");
                ps.setString(8, lon ? id : null);
                ps.setString(9, lon ? null : UUID.randomUUID().toString());
                ps.setString(10, lon ? null : "same-content");
                ps.setObject(11, now);
                ps.setObject(12, now.minusSeconds(1));
                ps.setObject(13, now);
                ps.setObject(14, now.plusHours(23));
                ps.addBatch();
                if (i % 2000 == 1999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    private static long count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return Json.read(r.body());
    }
}
