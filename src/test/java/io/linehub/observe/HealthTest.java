package io.linehub.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TcpProxy;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.linehub.testsupport.TestHub.NO_AUTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /observe/health (open without a key) turns DOWN with the reason when the database or a LINE channel cannot be
 * reached, and UP again when they are back: the hub's PostgreSQL (HUB_TEST_PG_URL, a schema of its own) and the
 * sandbox are each reached through a {@link TcpProxy} the test cuts and restores.
 */
class HealthTest {

    static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");

    private final String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    @TempDir
    Path dataDir;
    TestHub hub;
    TcpProxy db;
    TcpProxy line;

    @BeforeEach
    void start() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        URI pg = URI.create(PG_URL.substring("jdbc:".length()));
        db = TcpProxy.start(pg.getHost(), pg.getPort() > 0 ? pg.getPort() : 5432);
        int sandboxPort = TestHub.freePort();
        line = TcpProxy.start("127.0.0.1", sandboxPort);
        String proxied = "jdbc:postgresql://127.0.0.1:" + db.port() + pg.getPath() + "?currentSchema=" + schema + "&connectTimeout=2&socketTimeout=5";
        Map<String, String> p = new HashMap<>();
        p.put("hub.db.url", proxied);
        p.put("hub.db.user", PG_USER);
        p.put("hub.sandbox", "on");
        p.put("hub.sandbox.port", String.valueOf(sandboxPort));
        p.put("line.api.base.url", "http://127.0.0.1:" + line.port());
        p.put("hub.metrics.channel-interval-seconds", "1");
        p.putAll(TestHub.WATCH_CHANNELS);
        hub = TestHub.start(dataDir, p);
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        db.close();
        line.close();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private record Health(int status, JsonNode body) {
        String state() {
            return body.path("status").asText();
        }

        /** The check whose name contains {@code name}. */
        JsonNode check(String name) {
            for (JsonNode c : body.path("checks")) {
                if (c.path("name").asText().contains(name)) {
                    return c;
                }
            }
            throw new AssertionError("no check " + name + " in " + body);
        }
    }

    private Health health() throws Exception {
        HttpResponse<String> r = hub.get("/observe/health", "Authorization", NO_AUTH);
        return new Health(r.statusCode(), Json.read(r.body()));
    }

    @Test
    void healthTurnsDownWhenTheDatabaseIsUnreachableAndUpAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.state()).as(h.body().toString()).isEqualTo("UP");
            assertThat(h.check("database").path("message").asText()).isEqualTo("database: answering");
            assertThat(h.check("dispatcher").path("message").asText()).isEqualTo("dispatcher: running");
        });
        db.cut();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.status()).as(h.body().toString()).isEqualTo(503);
            assertThat(h.state()).isEqualTo("DOWN");
            assertThat(h.check("database").path("status").asText()).isEqualTo("DOWN");
            assertThat(h.check("database").path("message").asText()).startsWith("database: ");
        });
        db.restore();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.state()).as(h.body().toString()).isEqualTo("UP");
            assertThat(h.check("database").path("message").asText()).isEqualTo("database: answering");
        });
    }

    @Test
    void healthTurnsDownWhenALineChannelIsUnreachableAndUpAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.state()).as(h.body().toString()).isEqualTo("UP");
            assertThat(h.check("line-channel-default").path("message").asText()).isEqualTo("LINE channel default: reachable, token accepted");
        });
        line.cut();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.status()).as(h.body().toString()).isEqualTo(503);
            assertThat(h.check("line-channel-default").path("status").asText()).isEqualTo("DOWN");
            assertThat(h.check("line-channel-default").path("message").asText()).startsWith("LINE channel default: LINE not reached");
            // the other checks say what they see on their own
            assertThat(h.check("database").path("status").asText()).isEqualTo("UP");
        });
        line.restore();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class).untilAsserted(() -> {
            Health h = health();
            assertThat(h.state()).as(h.body().toString()).isEqualTo("UP");
            assertThat(h.check("line-channel-default").path("message").asText()).isEqualTo("LINE channel default: reachable, token accepted");
        });
    }
}
