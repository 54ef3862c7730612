package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCHEDULED rows in the outbox on PostgreSQL (issue 15): the claim takes them only once due, through the
 * notification_due (status, next_attempt_at) index, at most its batch; the retry window starts at the scheduled
 * time; past expiresAt they are never claimed and become EXPIRED naming it.
 */
class ScheduledClaimsTest {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private PostgresSchema schema;
    private HikariDataSource db;
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    @BeforeEach
    void createSchema() throws Exception {
        schema = PostgresSchema.create("pg-test");
        db = schema.db();
    }

    @AfterEach
    void dropSchema() throws Exception {
        schema.close();
    }

    private static NewNotification lon(int i, SendTiming timing) {
        return NewNotification.lonTemplate("shipping_complete", "default", "C-" + i, "h" + i, "+66 8xxxx5678", "TH", "th",
                "{}", "{\"to\":\"h\"}", null, "d" + i).withTiming(timing);
    }

    @Test
    void scheduledRowsAreClaimedOnlyOnceDueAtMostABatchAtATime() {
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
        NotificationQueue queue = new NotificationQueue(db, clock, settings);
        Claims claims = new Claims(db, clock, "node-a", settings);
        Instant due = T0.plusSeconds(3600);
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            batch.add(lon(i, new SendTiming(due, due, null, "scheduled for sendAt " + due)));
        }
        assertThat(queue.enqueueAll(batch)).allSatisfy(o -> assertThat(o.result().status()).isEqualTo(NotificationStatus.SCHEDULED));
        EnqueueResult queued = queue.enqueue(lon(9999, SendTiming.NOW));
        assertThat(queued.status()).isEqualTo(NotificationStatus.QUEUED);

        // before their time: only the queued one
        assertThat(claims.claimDue(500)).extracting(OutboxEntry::id).containsExactly(queued.id());
        now = due.minusMillis(1);
        assertThat(claims.claimDue(500)).isEmpty();
        // at their time: a batch per claim, never more
        now = due;
        assertThat(claims.claimDue(500)).hasSize(500);
        assertThat(claims.claimDue(500)).hasSize(500);
        assertThat(claims.claimDue(500)).hasSize(200);
        assertThat(claims.claimDue(500)).isEmpty();
    }

    @Test
    void theRetryWindowStartsAtTheScheduledTimeAndExpiresAtCapsItAndIsNamedWhenItEnds() throws Exception {
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
        NotificationQueue queue = new NotificationQueue(db, clock, settings);
        Claims claims = new Claims(db, clock, "node-a", settings);
        Instant due = T0.plus(Duration.ofDays(2));
        String windowed = queue.enqueue(lon(1, new SendTiming(due, due, null, "scheduled"))).id();
        Instant expiresAt = due.plusSeconds(60);
        String capped = queue.enqueue(lon(2, new SendTiming(due, due, expiresAt, "scheduled"))).id();
        assertThat(column(windowed, "expires_at")).isEqualTo(due.plus(settings.retryWindow()));
        assertThat(column(capped, "expires_at")).isEqualTo(expiresAt);

        // past its expiresAt (before housekeeping ran): not claimed; the other one is
        now = expiresAt.plusSeconds(1);
        assertThat(claims.claimDue(10)).extracting(OutboxEntry::id).containsExactly(windowed);
        new TimeBasedOutcomes(db, clock, settings).resolveByTime();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.status, h.reason FROM notification n JOIN notification_status_history h ON h.notification_id = n.id"
                     + " WHERE n.id = '" + capped + "' ORDER BY h.id DESC LIMIT 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("EXPIRED");
            assertThat(rs.getString(2)).isEqualTo("not sent before its expiresAt " + expiresAt);
        }
    }

    @Test
    void theClaimOfDueScheduledRowsReadsTheDueIndex() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            // 50,000 rows, most of them sent, 5,000 scheduled for later, 1,000 due now
            st.execute("INSERT INTO notification (id, type, channel, line_operation, status, data, line_request, attempts, next_attempt_at,"
                    + " created_at, updated_at, expires_at) SELECT 'n' || g, 't', 'default', 'pnp-template',"
                    + " CASE WHEN g <= 1000 THEN 'SCHEDULED' WHEN g <= 6000 THEN 'SCHEDULED' ELSE 'SENT' END, '{}', '{}', 0,"
                    + " CASE WHEN g <= 1000 THEN now() - interval '1 minute' ELSE now() + interval '1 day' END, now(), now(), now() + interval '2 days'"
                    + " FROM generate_series(1, 50000) g");
            st.execute("ANALYZE notification");
            StringBuilder plan = new StringBuilder();
            // the claim's query (Claims.claimDue) for one status
            try (ResultSet rs = st.executeQuery("EXPLAIN SELECT id, channel, line_operation, line_request, delivery_tag, attempts, retry_key,"
                    + " content_digest, recipient_user_id, batch_id FROM notification WHERE status = 'SCHEDULED' AND next_attempt_at <= now()"
                    + " AND line_operation NOT IN ('broadcast','narrowcast') AND (line_operation <> 'push' OR batch_id IS NOT NULL OR created_at <= now())"
                    + " AND channel NOT IN (SELECT channel FROM channel_pause WHERE paused_until > now())"
                    + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY next_attempt_at LIMIT 500 FOR UPDATE SKIP LOCKED")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("notification_due").doesNotContain("Seq Scan on notification ");
        }
    }

    @Test
    void rowsOfOneBatchEachScheduledForItsOwnTimeKeepTheirOwnTimes() throws Exception {
        // the COPY formats each distinct instant once per batch (OutboxCopy): rows sharing "now" and rows each with a
        // time of its own (more than the four it remembers) must all be stored with their own
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
        NotificationQueue queue = new NotificationQueue(db, clock, settings);
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Instant at = T0.plusSeconds(60 + i).plusNanos(i * 1000L);
            batch.add(i % 2 == 0 ? lon(i, new SendTiming(at, at, null, "scheduled for sendAt " + at)) : lon(i, SendTiming.NOW));
        }
        List<EnqueueOutcome> out = queue.enqueueAll(batch);
        for (int i = 0; i < 600; i++) {
            String id = out.get(i).result().id();
            Instant expected = i % 2 == 0 ? T0.plusSeconds(60 + i).plusNanos(i * 1000L) : T0;
            assertThat(column(id, "next_attempt_at")).as("row %d", i).isEqualTo(expected);
            assertThat(column(id, "created_at")).as("row %d", i).isEqualTo(T0);
        }
    }

    private Instant column(String id, String column) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + column + " FROM notification WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }
}
