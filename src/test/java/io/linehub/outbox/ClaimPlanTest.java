package io.linehub.outbox;

import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL a claim reads the due rows through the due index, in order, and stops at its limit, whatever the
 * table's statistics say. The case it guards against, seen in bench/delivery.sh and the way production runs: the
 * table last analysed when every row in it had been sent, then a burst of intake; PostgreSQL, expecting a handful of due rows, fetched all of them and sorted them on
 * disk for every claim of 500 (75-140 ms each with 70,000 queued; docs/performance.md). At this test's size PostgreSQL
 * may well choose the index read by itself: the test pins that the claim's statements, as the claim runs them, have
 * no other plan; the benchmark shows what it changes.
 */
class ClaimPlanTest {

    private static final OutboxSettings SETTINGS = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
    private static final int HISTORY = 10_000;
    private static final int QUEUED = 5_000;

    @Test
    void aClaimReadsTheDueIndexInOrderEvenWithStatisticsFromBeforeABurstOfIntake() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("claim-plan")) {
            NotificationQueue queue = new NotificationQueue(schema.db(), Clock.systemUTC(), SETTINGS);
            queue(queue, "old-", HISTORY);
            try (Connection c = schema.db().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE notification SET status = 'DELIVERED'");
                s.execute("ANALYZE notification"); // what autovacuum last saw: a table of delivered notifications
            }
            queue(queue, "new-", QUEUED); // then a burst of intake

            try (Connection c = schema.db().getConnection()) {
                c.setAutoCommit(false);
                Claims.readDueRowsInIndexOrder(c, true);
                String allChannels = plan(c, false);
                assertThat(allChannels).doesNotContain("\"Sort\"").contains("\"Index Scan\"").contains("\"notification_due\"");
                String oneChannel = plan(c, true);
                assertThat(oneChannel).doesNotContain("\"Sort\"").contains("\"Index Scan\"").contains("\"notification_due_by_channel\"");

                // rows of channels the hub does not know: found by one index seek per channel with rows, not by
                // reading the known channels' queue (5,000 rows here) to find none
                assertThat(Claims.channelsWithRows(c, "QUEUED")).containsExactly("default");
                String seek = explain(c, "SELECT channel FROM notification WHERE status = 'QUEUED' AND channel > 'default'"
                        + " ORDER BY channel LIMIT 1");
                assertThat(seek).contains("\"notification_due_by_channel\"").doesNotContain("\"Seq Scan\"").doesNotContain("\"Sort\"");

                // which channels have broadcasts or narrowcasts due (once a second): the partial index of those alone,
                // not the 5,000 due LONs
                for (String op : Claims.HOURLY_OPERATIONS) {
                    String hourly = explain(c, Claims.hourlyChannelsSql(op).replace("?", "now()"));
                    assertThat(hourly).contains("\"notification_hourly_due\"").doesNotContain("\"Seq Scan\"");
                }

                Claims.readDueRowsInIndexOrder(c, false); // the rest of the claim's transaction plans as before
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW enable_sort")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("on");
                }
                c.rollback();
            }

            // and the claims still take each due row once, up to their limit
            Claims claims = new Claims(schema.db(), Clock.systemUTC(), "node-a", SETTINGS);
            List<String> first = claims.claimDue(500).stream().map(OutboxEntry::id).toList();
            List<String> second = claims.claimDue(500).stream().map(OutboxEntry::id).toList();
            assertThat(first).hasSize(500).doesNotHaveDuplicates().doesNotContainAnyElementsOf(second);
            assertThat(second).hasSize(500).doesNotHaveDuplicates();
            try (Connection c = schema.db().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notification WHERE status = 'SENDING'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1_000);
            }
        }
    }

    @Test
    void broadcastsAndNarrowcastsAreClaimedWithinTheHourlyBudgetThroughTheirOwnIndex() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("claim-hourly")) {
            OutboxSettings d = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);
            OutboxSettings budgetOf5 = new OutboxSettings(d.lease(), d.maxAttempts(), d.retryWindow(), 5, d.packingWindow(),
                    d.uncertainAfter(), d.uncertainPolicy(), d.undeliveredAfter());
            NotificationQueue queue = new NotificationQueue(schema.db(), Clock.systemUTC(), budgetOf5);
            queue(queue, "lon-", 50);
            for (int i = 0; i < 7; i++) {
                queue.enqueue(new NewNotification("shipping_complete", "default", "broadcast", null, null, null, null, "en", "{}",
                        "{\"messages\":[{\"type\":\"text\",\"text\":\"Sale " + i + "\"}]}", null, "b" + i, null,
                        java.util.UUID.randomUUID().toString(), null, "test"));
            }
            Claims claims = new Claims(schema.db(), Clock.systemUTC(), "node-a", budgetOf5);
            List<OutboxEntry> first = claims.claimDue(500);
            assertThat(first.stream().filter(e -> e.lineOperation().equals("broadcast"))).hasSize(5);
            assertThat(first.stream().filter(e -> e.lineOperation().equals("pnp-template"))).hasSize(50);
            Thread.sleep(1_100); // the hourly part of a claim runs at most once a second
            // five are out (SENDING): the budget of five an hour has no room for the other two
            assertThat(claims.claimDue(500)).isEmpty();
        }
    }

    private static void queue(NotificationQueue queue, String prefix, int n) {
        for (int from = 0; from < n; from += 1_000) {
            List<NewNotification> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1_000); i++) {
                batch.add(NewNotification.lonTemplate("shipping_complete", "default", "C-" + i, "h" + i, "+66 8xxxx5678",
                        "TH", "th", "{}", "{\"to\":\"h\"}", prefix + i, prefix + "d" + i));
            }
            queue.enqueueAll(batch);
        }
    }

    private static String explain(Connection c, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1));
            }
        }
        return plan.toString();
    }

    /** The claim statement's plan for QUEUED rows, as JSON, with the claim's own parameters. */
    private static String plan(Connection c, boolean oneChannel) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + Claims.claimSql("QUEUED", oneChannel))) {
            int i = 1;
            ps.setObject(i++, now);
            ps.setObject(i++, now);
            ps.setObject(i++, now);
            ps.setObject(i++, now);
            if (oneChannel) {
                ps.setString(i++, "default");
            }
            ps.setInt(i, 500);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1));
                }
            }
            return plan.toString();
        }
    }
}
