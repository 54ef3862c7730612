package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Flyway history and outbox SQL on PostgreSQL (HUB_TEST_PG_URL, default the local server every
 * development and CI machine runs), in a schema of its own that is dropped afterwards.
 */
class PostgresOutboxTest {

    static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");

    private final String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private HikariDataSource db;

    @BeforeEach
    void createSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        db = Database.open("pg-test", PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, PG_USER, null, 4);
    }

    @AfterEach
    void dropSchema() throws Exception {
        db.close();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void migrationsRunAndTwoClaimersNeverTakeTheSameRow() throws Exception {
        Database.migrate(db);
        Claims a = new Claims(db, Clock.systemUTC(), "node-a", OutboxSettings.unpacked(Duration.ofSeconds(60), 5));
        Claims b = new Claims(db, Clock.systemUTC(), "node-b", OutboxSettings.unpacked(Duration.ofSeconds(60), 5));
        NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5));
        for (int i = 0; i < 20; i++) {
            queue.enqueue(NewNotification.lonTemplate("shipping_complete", "default", "C-" + i, "h" + i, "+66 8xxxx5678", "TH", "th",
                    "{}", "{\"to\":\"h\"}", null, "d" + i));
        }
        // hold node-a's claim open in its own transaction while node-b claims: SKIP LOCKED must skip a's rows
        try (Connection held = db.getConnection()) {
            held.setAutoCommit(false);
            List<String> lockedByA = new java.util.ArrayList<>();
            try (var ps = held.prepareStatement("SELECT id FROM notification WHERE status = 'QUEUED' ORDER BY next_attempt_at LIMIT 8 FOR UPDATE SKIP LOCKED");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    lockedByA.add(rs.getString(1));
                }
            }
            List<OutboxEntry> claimedByB = b.claimDue(20);
            assertThat(claimedByB).hasSize(12);
            assertThat(claimedByB).extracting(OutboxEntry::id).doesNotContainAnyElementsOf(lockedByA);
            held.rollback();
        }
        assertThat(a.claimDue(20)).hasSize(8);
        assertThat(a.claimDue(20)).isEmpty();
    }

    @Test
    void sentAndDeliveredAreRecordedWithHistory() throws Exception {
        Database.migrate(db);
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
        NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), settings);
        EnqueueResult r = queue.enqueue(NewNotification.lonTemplate("shipping_complete", "default", "C-1", "abc", "+66 8xxxx5678",
                "TH", "th", "{}", "{\"to\":\"abc\"}", "key-1", "digest"));
        OutboxEntry e = new Claims(db, Clock.systemUTC(), "node-a", settings).claimDue(1).get(0);
        new OutcomeStore(db, Clock.systemUTC(), new RetryPolicy(settings.maxAttempts()), new ChannelPauses(db, Clock.systemUTC()))
                .recordSent(e, Instant.now(), 202, "req-1");
        assertThat(new DeliveryReceipts(db, Clock.systemUTC()).markDelivered("default", r.id())).isTrue();
        var view = new NotificationReadModel(db).view(r.id()).orElseThrow();
        assertThat(view.get("status")).isEqualTo("DELIVERED");
        assertThat(queue.enqueue(NewNotification.lonTemplate("shipping_complete", "default", "C-1", "abc", "+66 8xxxx5678",
                "TH", "th", "{}", "{\"to\":\"abc\"}", "key-1", "digest")).id()).isEqualTo(r.id());
    }
}
