package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NotificationQueue#enqueueAll} as the hub sets it up for its database: one transaction per call (an inbox
 * checkpoint) on PostgreSQL, where every commit survives a crash whole; 20-row commits on embedded H2 (decision 0009).
 */
class CheckpointTransactionsTest {

    private HikariDataSource db;
    private String pgSchema;

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
        if (pgSchema != null) {
            try (Connection c = DriverManager.getConnection(EnqueueAllTest.PG_URL, EnqueueAllTest.PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + pgSchema + " CASCADE");
            }
        }
    }

    @Test
    void postgresqlTakesACheckpointInOneTransactionAndH2InTwentyRowCommits() {
        assertThat(NotificationQueue.rowsPerTransactionFor("jdbc:postgresql://db:5432/hub")).isEqualTo(Integer.MAX_VALUE);
        assertThat(NotificationQueue.rowsPerTransactionFor("jdbc:h2:file:/data/db/hub;WRITE_DELAY=0")).isEqualTo(NotificationQueue.ROWS_PER_TRANSACTION);
    }

    @Test
    void aCheckpointOnPostgresqlIsOneTransactionAndFindsKeysStoredBefore() throws Exception {
        pgSchema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(EnqueueAllTest.PG_URL, EnqueueAllTest.PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + pgSchema);
        }
        String url = EnqueueAllTest.PG_URL + (EnqueueAllTest.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
        db = Database.open("checkpoint-pg", url, EnqueueAllTest.PG_USER, null, 4);
        Database.migrate(db);
        NotificationQueue outbox = new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5),
                NotificationQueue.rowsPerTransactionFor(url));
        // more than five checkpoints: pgjdbc prepares the look-up on the server after its fifth use
        List<EnqueueResult> earlier = new ArrayList<>();
        for (int checkpoint = 0; checkpoint < 7; checkpoint++) {
            List<NewNotification> batch = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                batch.add(row("k-" + checkpoint + "-" + i, "d" + i));
            }
            if (checkpoint > 0) {
                batch.add(row("k-" + (checkpoint - 1) + "-7", "d7")); // stored by the checkpoint before
            }
            List<EnqueueOutcome> out = outbox.enqueueAll(batch);
            assertThat(out.subList(0, 120)).allSatisfy(o -> assertThat(o.result().created()).isTrue());
            if (checkpoint > 0) {
                assertThat(out.get(120).result()).isEqualTo(new EnqueueResult(earlier.get(checkpoint - 1).id(), NotificationStatus.QUEUED, false));
            }
            earlier.add(out.get(7).result());
        }
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(7 * 120);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(7 * 120);
        // one transaction per checkpoint: its 120 rows share one time
        assertThat(count("SELECT COUNT(DISTINCT created_at) FROM notification WHERE idempotency_key LIKE 'k-3-%'")).isEqualTo(1);
    }

    private static NewNotification row(String key, String digest) {
        return new NewNotification("shipping_complete", "default", "pnp-template", "C-1001", "hash-" + digest, "+66 8xxxx5678", "TH", "th",
                "{\"orderNumber\":\"" + digest + "\"}", "{\"to\":\"hash\"}", key, digest, null, null, null, "auto: a LINE notification message");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
