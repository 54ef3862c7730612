package io.linehub.outbox;

import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL's two COPY paths of {@link OutboxCopy#insert} (decision 0033): straight into the outbox when the keys are
 * new, and the staging table's {@code ON CONFLICT} when one is stored already — tried straight in, the COPY fails as a
 * whole and is rolled back to its savepoint, and the transaction goes on.
 */
class OutboxCopyTest {

    private PostgresSchema pg;
    private NotificationQueue outbox;
    private final OffsetDateTime now = OffsetDateTime.of(2026, 12, 3, 9, 0, 0, 123_456_000, ZoneOffset.UTC);

    @BeforeEach
    void open() throws Exception {
        pg = PostgresSchema.create("outbox-copy");
        outbox = new NotificationQueue(pg.db(), Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5),
                NotificationQueue.rowsPerTransactionFor(PostgresSchema.PG_URL));
    }

    @AfterEach
    void close() throws Exception {
        pg.close();
    }

    private static NewNotification notification(String key) {
        return new NewNotification("shipping_complete", "default", "pnp-template", null, "hash-" + key, "+66 8xxxx5678", "TH", "th",
                "{\"orderNumber\":\"" + key + "\",\"note\":\"a \\\"quoted\\\", comma\"}", "{\"to\":\"hash-" + key + "\"}", key, "digest-" + key,
                null, null, null, "auto: a LINE notification message");
    }

    private OutboxCopy.Row row(String key, String reason) {
        return new OutboxCopy.Row(outbox.queuedValues(NotificationIds.newId(), notification(key), now), reason);
    }

    private List<OutboxCopy.Row> rows(String prefix, int count) {
        List<OutboxCopy.Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(prefix + i, i % 2 == 0 ? "auto: \"why\", with a comma\nand a line" : null));
        }
        return rows;
    }

    @Test
    void newKeysGoStraightInWithTheirHistoryRowsExactlyAsGiven() throws Exception {
        List<OutboxCopy.Row> rows = rows("k-", 700);
        OutboxCopy.Copied copied;
        try (Connection c = pg.db().getConnection()) {
            c.setAutoCommit(false);
            copied = OutboxCopy.insert(c, rows, true);
            c.commit();
        }

        assertThat(copied.direct()).isTrue();
        assertThat(copied.inserted()).containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> (String) r.values()[0]).toList());
        assertThat(count("SELECT COUNT(*) FROM notification WHERE status = 'QUEUED' AND delivery_tag = id AND created_at = '2026-12-03 09:00:00.123456+00'"))
                .isEqualTo(700);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history h JOIN notification n ON n.id = h.notification_id"
                + " WHERE h.status = 'QUEUED' AND h.changed_at = n.created_at")).isEqualTo(700);
        assertThat(text("SELECT reason FROM notification_status_history WHERE notification_id = '" + rows.get(0).values()[0] + "'"))
                .isEqualTo("auto: \"why\", with a comma\nand a line");
        assertThat(text("SELECT COALESCE(reason, 'null') FROM notification_status_history WHERE notification_id = '" + rows.get(1).values()[0] + "'"))
                .isEqualTo("null");
        assertThat(text("SELECT data FROM notification WHERE idempotency_key = 'k-3'")).isEqualTo("{\"orderNumber\":\"k-3\",\"note\":\"a \\\"quoted\\\", comma\"}");
    }

    @Test
    void aKeyStoredBeforeSendsTheRowsTheStagingWayAndTheTransactionGoesOn() throws Exception {
        List<OutboxCopy.Row> first = rows("k-", 10);
        try (Connection c = pg.db().getConnection()) {
            c.setAutoCommit(false);
            OutboxCopy.insert(c, first, true);
            c.commit();
        }
        List<OutboxCopy.Row> again = rows("k-", 20); // k-0 … k-9 are stored, with other ids
        OutboxCopy.Copied copied;
        try (Connection c = pg.db().getConnection()) {
            c.setAutoCommit(false);
            copied = OutboxCopy.insert(c, again, true);
            try (Statement st = c.createStatement()) {
                st.execute("UPDATE notification SET attempts = 7 WHERE idempotency_key = 'k-15'"); // the transaction is usable
            }
            c.commit();
        }

        assertThat(copied.direct()).as("the COPY straight in met k-0 and was rolled back").isFalse();
        assertThat(copied.inserted()).containsExactlyInAnyOrderElementsOf(again.subList(10, 20).stream().map(r -> (String) r.values()[0]).toList());
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(20);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).as("one history row each, none for the skipped").isEqualTo(20);
        assertThat(text("SELECT id FROM notification WHERE idempotency_key = 'k-0'")).isEqualTo(first.get(0).values()[0]);
        assertThat(count("SELECT attempts FROM notification WHERE idempotency_key = 'k-15'")).isEqualTo(7);
    }

    @Test
    void theStagingWayWhenNotAskedToGoStraightIn() throws Exception {
        OutboxCopy.Copied copied;
        try (Connection c = pg.db().getConnection()) {
            c.setAutoCommit(false);
            copied = OutboxCopy.insert(c, rows("k-", 5), false);
            c.commit();
        }
        assertThat(copied.direct()).isFalse();
        assertThat(copied.inserted()).hasSize(5);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(5);
    }

    @Test
    void aNulCharacterStraightInIsRefusedNamingTheColumnAndNothingIsStored() throws Exception {
        List<OutboxCopy.Row> rows = rows("k-", 3);
        rows.set(2, row("k-2\u0000x", null));
        try (Connection c = pg.db().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> OutboxCopy.insert(c, rows, true)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("recipient_hash").hasMessageContaining("NUL character").hasMessageNotContaining("k-2")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22021"));
            c.rollback();
        }
        assertThat(count("SELECT COUNT(*) FROM notification")).isZero();
    }

    @Test
    void theQueueGoesTheStagingWayAfterAStoredKeyAndStraightInAgainAfterACheckpointWhoseKeysWereAllNew() throws Exception {
        assertThat(outbox.copiesStraightIn()).isTrue();
        outbox.enqueueAll(List.of(notification("a-1")));
        assertThat(outbox.copiesStraightIn()).isTrue();
        // a file read again from its start: a stored key, then new ones
        List<EnqueueOutcome> again = outbox.enqueueAll(List.of(notification("a-1"), notification("a-2")));
        assertThat(again.get(0).result().created()).isFalse();
        assertThat(again.get(1).result().created()).isTrue();
        assertThat(outbox.copiesStraightIn()).as("after a checkpoint that met a stored key").isFalse();
        List<EnqueueOutcome> next = outbox.enqueueAll(List.of(notification("a-3")));
        assertThat(next.get(0).result().created()).isTrue();
        assertThat(outbox.copiesStraightIn()).as("after a checkpoint of new keys only").isTrue();
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(3);
    }

    private long count(String sql) throws Exception {
        try (Connection c = pg.db().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String text(String sql) throws Exception {
        try (Connection c = pg.db().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
