package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NotificationQueue#enqueueAll} with the hub's setting for each database: on PostgreSQL a checkpoint in one
 * transaction by COPY ({@link OutboxCopy}), on embedded H2 JDBC batches in 20-row commits. Idempotency, a failure
 * part-way, and values that COPY's format must carry unchanged.
 */
class BulkEnqueueTest {

    private PostgresSchema pg;
    private HikariDataSource h2;
    private HikariDataSource db;

    private NotificationQueue outbox(String database) throws Exception {
        if (database.equals("h2")) {
            h2 = Database.open("bulk-enqueue", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                    null, null, 4);
            Database.migrate(h2);
            db = h2;
            return new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5),
                    NotificationQueue.rowsPerTransactionFor("jdbc:h2:file:/data/db/hub"));
        }
        pg = PostgresSchema.create("bulk-enqueue-pg");
        db = pg.db();
        return new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5),
                NotificationQueue.rowsPerTransactionFor(PostgresSchema.PG_URL));
    }

    @AfterEach
    void close() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (h2 != null) {
            h2.close();
        }
    }

    private static NewNotification row(String key, String digest, String decision, String data) {
        return new NewNotification("shipping_complete", "default", "pnp-template", null, "hash-" + digest, "+66 8xxxx5678", "TH", "th",
                data, "{\"to\":\"hash-" + digest + "\"}", key, digest, null, null, null, decision);
    }

    private static NewNotification row(String key, String digest) {
        return row(key, digest, "auto: a LINE notification message", "{\"orderNumber\":\"" + digest + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aCheckpointWithKeysRepeatedInItAndStoredBeforeGetsEachRowsOutcomeInOrder(String database) throws Exception {
        NotificationQueue outbox = outbox(database);
        EnqueueResult before = outbox.enqueue(row("k-stored", "s"));
        EnqueueResult conflicting = outbox.enqueue(row("k-other", "o"));
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            batch.add(row("k-" + i, "d" + i));
        }
        batch.set(100, row("k-stored", "s"));          // stored before, same request
        batch.set(200, row("k-other", "changed"));     // stored before, another request
        batch.set(300, row("k-5", "d5"));              // earlier in this checkpoint, same request
        batch.set(400, row("k-6", "changed"));         // earlier in this checkpoint, another request
        batch.set(500, row(null, "n"));
        batch.set(501, row(null, "n"));                // no key: a new notification each time

        List<EnqueueOutcome> out = outbox.enqueueAll(batch);

        assertThat(out).hasSize(1200);
        assertThat(out.get(100).result()).isEqualTo(new EnqueueResult(before.id(), NotificationStatus.QUEUED, false));
        assertThat(out.get(200).refusal()).isInstanceOf(IdempotencyConflictException.class).hasMessageContaining(conflicting.id());
        assertThat(out.get(300).result()).isEqualTo(new EnqueueResult(out.get(5).result().id(), NotificationStatus.QUEUED, false));
        assertThat(out.get(400).refusal()).hasMessageContaining(out.get(6).result().id());
        assertThat(out.get(501).result().id()).isNotEqualTo(out.get(500).result().id());
        assertThat(out).filteredOn(o -> o.result() != null && o.result().created()).hasSize(1196);
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(1196 + 2);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(1196 + 2);
        for (int i : new int[]{0, 501, 1199}) {
            assertThat(count("SELECT COUNT(*) FROM notification WHERE id = '" + out.get(i).result().id() + "' AND status = 'QUEUED'"
                    + " AND delivery_tag = id AND attempts = 0 AND expires_at > created_at")).as("row %d", i).isEqualTo(1);
        }
        assertThat(count("SELECT COUNT(DISTINCT created_at) FROM notification WHERE idempotency_key LIKE 'k-%' AND idempotency_key NOT IN ('k-stored', 'k-other')"))
                .as("transactions of the checkpoint").isEqualTo(database.equals("h2") ? 1196 / NotificationQueue.ROWS_PER_TRANSACTION + 1 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTransactionThatFailsPartWayLeavesNothingOfItAndTheRowsBeforeTheFailingOneAreStoredOneByOne(String database) throws Exception {
        NotificationQueue outbox = outbox(database);
        // the notification row goes in; its history row is refused: the failure comes after the first insert of the transaction
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE notification_status_history ADD CONSTRAINT no_boom CHECK (reason IS NULL OR reason <> 'boom')");
        }
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(i == 12 ? row("k-12", "d12", "boom", "{}") : row("k-" + i, "d" + i));
        }

        assertThatThrownBy(() -> outbox.enqueueAll(batch)).isInstanceOf(OutboxException.class);

        // H2: the first 20-row transaction (rows 0-19, row 12 in it) fails whole; PostgreSQL: the checkpoint's one transaction
        assertThat(count("SELECT COUNT(*) FROM notification")).as("rows 0-11, stored one by one after the rollback").isEqualTo(12);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(12);
        assertThat(count("SELECT COUNT(DISTINCT created_at) FROM notification")).as("none stored by the failed transaction").isEqualTo(12);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE idempotency_key IN ('k-12', 'k-13', 'k-29')")).isZero();

        // nothing of the failed transaction is left behind for the next checkpoint on the same connections
        List<EnqueueOutcome> next = outbox.enqueueAll(List.of(row("k-12", "d12"), row("k-13", "d13"), row("k-0", "d0")));
        assertThat(next.get(0).result().created()).isTrue();
        assertThat(next.get(1).result().created()).isTrue();
        assertThat(next.get(2).result().created()).as("stored one by one before").isFalse();
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(14);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(14);
    }

    /** Values COPY's CSV must carry as they are: its delimiters, quotes, line ends, its end marker, and non-Latin text. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void hostileValuesAreStoredExactlyAsGiven(String database) throws Exception {
        NotificationQueue outbox = outbox(database);
        String[] hostile = {
                "tab\there, comma, \"quoted\" ''single''",
                "line\nbreak\r\nand CR\r",
                "back\\slash \\N \\\\ \\t \\",
                "\\.",
                "\n\\.\n",
                "ชุดกาแฟดริป; ชิ้นที่ 1 「ご注文」 東京都 😀",
                "",
                "NULL",
        };
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < hostile.length; i++) {
            batch.add(row("key " + hostile[i] + " " + i, "d" + i, hostile[i], "{\"v\":\"" + hostile[i].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"}"));
        }
        batch.add(new NewNotification("shipping_complete", "default", "pnp-template", "", null, null, null, null, "{}", "{}", null, "z",
                null, null, null, null)); // empty and null stay apart

        List<EnqueueOutcome> out = outbox.enqueueAll(batch);

        for (int i = 0; i < hostile.length; i++) {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT n.idempotency_key, n.channel_decision, n.data, h.reason FROM notification n"
                            + " JOIN notification_status_history h ON h.notification_id = n.id WHERE n.id = ?")) {
                ps.setString(1, out.get(i).result().id());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(batch.get(i).idempotencyKey());
                    assertThat(rs.getString(2)).isEqualTo(hostile[i]);
                    assertThat(rs.getString(3)).isEqualTo(batch.get(i).dataJson());
                    assertThat(rs.getString(4)).isEqualTo(hostile[i]);
                }
            }
        }
        String last = out.get(hostile.length).result().id();
        assertThat(count("SELECT COUNT(*) FROM notification WHERE id = '" + last + "' AND customer_id = '' AND recipient_hash IS NULL"
                + " AND channel_decision IS NULL AND idempotency_key IS NULL")).isEqualTo(1);
        // found again by their keys: the keys were stored byte for byte
        List<EnqueueOutcome> again = outbox.enqueueAll(batch.subList(0, hostile.length));
        for (int i = 0; i < hostile.length; i++) {
            assertThat(again.get(i).result()).isEqualTo(new EnqueueResult(out.get(i).result().id(), NotificationStatus.QUEUED, false));
        }
    }

    @Test
    void aNulCharacterIsRefusedOnPostgresqlNamingTheColumnNotTheValue() throws Exception {
        NotificationQueue outbox = outbox("postgresql");
        List<NewNotification> batch = List.of(row("k-1", "a"), row("k-2\u0000secret-ish", "b"), row("k-3", "c"));

        assertThatThrownBy(() -> outbox.enqueueAll(batch)).isInstanceOf(OutboxException.class)
                .hasMessageContaining("idempotency_key").hasMessageContaining("NUL character").hasMessageNotContaining("secret-ish");

        assertThat(count("SELECT COUNT(*) FROM notification")).as("the row before it, stored one by one").isEqualTo(1);
        assertThatThrownBy(() -> outbox.enqueue(row("k-4", "d", "auto\u0000", "{}"))).isInstanceOf(OutboxException.class)
                .hasMessageContaining("channel_decision").hasMessageContaining("NUL character");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
