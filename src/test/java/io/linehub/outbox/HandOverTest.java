package io.linehub.outbox;

import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An accepted notification wakes the dispatcher at once ({@link DispatchSignal}): with a poll interval of a
 * minute it still reaches LINE within moments — in the same hub, and (PostgreSQL LISTEN/NOTIFY, {@link OutboxListener})
 * when another hub took it in.
 */
class HandOverTest {

    private static final String BODY = "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"089 765 4321\"},"
            + "\"data\":{\"orderNumber\":\"TH-2026-000124\",\"shippedDate\":\"2026-11-27\"}}";

    @TempDir
    Path dataDir;
    @TempDir
    Path otherDataDir;

    private static String accepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.read(r.body()).path("id").asText();
    }

    @Test
    void aQueuedNotificationIsClaimedAtOnceNotAtTheNextPoll() throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.delivery.poll-interval-ms", "60000"))) {
            Thread.sleep(1500); // the dispatcher's first round (the timer's start delay) is over: it now waits for a signal
            long t0 = System.nanoTime();
            accepted(hub.post("/api/notifications", BODY));
            await().atMost(Duration.ofSeconds(5)).until(() -> !hub.sandbox().requests().isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anotherHubOnPostgresqlWakesThisOnesDispatcher() throws Exception {
        String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(EnqueueAllTest.PG_URL, EnqueueAllTest.PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        try {
            Map<String, String> p = new HashMap<>();
            p.put("hub.db.url", EnqueueAllTest.PG_URL + (EnqueueAllTest.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            p.put("hub.db.user", EnqueueAllTest.PG_USER);
            p.put("hub.sandbox", "on");
            p.put("hub.delivery.poll-interval-ms", "60000");
            try (TestHub sender = TestHub.start(dataDir, p)) {
                p.put("hub.delivery.enabled", "false");
                try (TestHub intake = TestHub.start(otherDataDir, p)) {
                    Thread.sleep(1500);
                    accepted(intake.post("/api/notifications", BODY));
                    await().atMost(Duration.ofSeconds(5)).until(() -> !sender.sandbox().requests().isEmpty());
                    assertThat(intake.sandbox().requests()).isEmpty();
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(EnqueueAllTest.PG_URL, EnqueueAllTest.PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
