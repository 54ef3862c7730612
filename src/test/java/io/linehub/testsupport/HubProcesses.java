package io.linehub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for integration tests: the packaged hub and its sandbox started with {@code java -jar}, and an
 * outbox in a PostgreSQL schema of its own (so the test can fill and read it while the hub runs).
 */
public final class HubProcesses implements AutoCloseable {

    public static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path dir;
    private final String schema = "hub_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final List<Process> processes = new ArrayList<>();
    private final HikariDataSource db;

    public HubProcesses(Path dir) throws Exception {
        this.dir = dir;
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        db = Database.open("it-" + schema, url(), PG_USER, null, 2);
        Database.migrate(db);
    }

    /** JDBC URL of the test's schema. */
    public String url() {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public HikariDataSource db() {
        return db;
    }

    /** The HUB_API_KEY hubs started by {@link #java} get unless the test gives its own (real LINE hubs need one to start). */
    public static final String API_KEY = TestHub.API_KEY;

    /**
     * {@code java -jar target/line-notification-hub.jar args…} with only the given HUB_/LINE_ variables (and
     * HUB_API_KEY = {@link #API_KEY} for a hub unless given); output in name.log.
     */
    public Process java(String name, Map<String, String> env, String... args) throws Exception {
        return java(name, List.of("-Xmx1g"), env, args);
    }

    /** The same with these JVM options (instead of {@code -Xmx1g}). */
    public Process java(String name, List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", System.getProperty("hub.jar", "target/line-notification-hub.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("LINE_"));
        if (args.length == 0) {
            pb.environment().put("HUB_API_KEY", API_KEY);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    public static String userId(int i) {
        return "U" + String.format("%032x", i + 1);
    }

    public static String hash(int i) {
        return PhoneNumbers.hash("+668" + String.format("%08d", i));
    }

    /** Queues notifications straight into the outbox: {@code lon} LINE notification messages and {@code push} pushes. */
    public void queue(int lon, int push) throws Exception {
        queue(db, lon, push);
    }

    /** The same into any hub database whose schema is migrated (benchmarks use it too). */
    public static void queue(javax.sql.DataSource db, int lon, int push) throws Exception {
        queue(db, "default", 0, lon, push);
    }

    /**
     * The same for one LINE channel; recipients are numbered from {@code first} (LON {@link #hash}, push {@link #userId}),
     * so that several channels' notifications can have recipients of their own.
     */
    public static void queue(javax.sql.DataSource db, String channel, int first, int lon, int push) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO notification (id, type, channel, line_operation,"
                + " status, recipient_hash, recipient_user_id, data, line_request, delivery_tag, retry_key, content_digest, attempts, next_attempt_at,"
                + " created_at, updated_at, expires_at, channel_decision) VALUES (?,?,?,?,'QUEUED',?,?,'{}',?,?,?,?,0,?,?,?,?,'test')")) {
            c.setAutoCommit(false);
            int total = lon + push;
            for (int i = 0, l = 0, p = 0; i < total; i++) {
                boolean isLon = (i % 2 == 0 && l < lon) || p >= push;
                int k = first + (isLon ? l++ : p++);
                String id = UUID.randomUUID().toString();
                ps.setString(1, id);
                ps.setString(2, "shipping_complete");
                ps.setString(3, channel);
                ps.setString(4, isLon ? "pnp-template" : "push");
                ps.setString(5, isLon ? hash(k) : null);
                ps.setString(6, isLon ? null : userId(k));
                ps.setString(7, isLon ? "{\"to\":\"" + hash(k) + "\",\"templateKey\":\"shipment_completed_ja\"}"
                        : "{\"to\":\"" + userId(k) + "\",\"messages\":[{\"type\":\"text\",\"text\":\"Your parcel has shipped\"}]}");
                ps.setString(8, isLon ? id : null);
                ps.setString(9, isLon ? null : UUID.randomUUID().toString());
                ps.setString(10, isLon ? null : "same-content");
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

    public long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + API_KEY)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return Json.read(r.body());
    }

    public static void post(String url, String json) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        db.close();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
