package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.line.LineDeliveryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batched delivery-webhook path (issue 19) on both databases the hub runs on (embedded H2; PostgreSQL at
 * HUB_TEST_PG_URL, in a schema of its own): a request's delivery events are journalled in one insert (what the 200
 * waits for) and folded in batches — de-duplicated and recorded in one transaction, each exactly once: many in one
 * request, the same events in two requests at once (and two hubs folding them), a webhook that overtakes the group
 * commit of LINE's answer, a hub that stops before the journal's commit, and one that stops between the journal and
 * the fold; and the housekeeping of the event ids.
 */
class DeliveryReceiptsTest {

    static final String PG_URL = PostgresOutboxTest.PG_URL;
    static final String PG_USER = PostgresOutboxTest.PG_USER;

    private HikariDataSource db;
    private String schema;
    private final OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);

    private void open(String database) throws Exception {
        if (database.equals("postgres")) {
            schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            db = Database.open("pg-receipts", PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, PG_USER, null, 6);
        } else {
            db = Database.open("h2-receipts", "jdbc:h2:mem:receipts-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", null, 6);
        }
        Database.migrate(db);
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private OutcomeStore outcomes() {
        return new OutcomeStore(db, Clock.systemUTC(), new RetryPolicy(settings.maxAttempts()), new ChannelPauses(db, Clock.systemUTC()));
    }

    /** n LON notifications, claimed (SENDING); their delivery tag is their id. */
    private List<OutboxEntry> claimed(int n) {
        NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), settings);
        for (int i = 0; i < n; i++) {
            queue.enqueue(NewNotification.lonTemplate("shipping_complete", "default", "C-" + i, "h" + i, "+66 8xxxx5678", "TH", "th",
                    "{}", "{\"to\":\"h\"}", null, "d" + i));
        }
        List<OutboxEntry> entries = new ArrayList<>();
        Claims claims = new Claims(db, Clock.systemUTC(), "node-a", settings);
        while (entries.size() < n) {
            List<OutboxEntry> batch = claims.claimDue(n - entries.size());
            assertThat(batch).isNotEmpty();
            entries.addAll(batch);
        }
        return entries;
    }

    /** n notifications SENT (LINE accepted them; the group commit recorded it). */
    private List<OutboxEntry> sent(int n) {
        List<OutboxEntry> entries = claimed(n);
        outcomes().recordOutcomes(entries.stream().map(e -> Outcome.sent(e, Instant.now(), 202, "req-" + e.id())).toList());
        return entries;
    }

    private static List<LineDeliveryEvent> events(List<OutboxEntry> entries, String prefix) {
        List<LineDeliveryEvent> events = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            events.add(new LineDeliveryEvent(prefix + String.format("%020d", i), entries.get(i).id()));
        }
        return events;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long delivered() throws SQLException {
        return count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED'");
    }

    private long deliveredHistory() throws SQLException {
        return count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'DELIVERED'");
    }

    private long journal() throws SQLException {
        return count("SELECT COUNT(*) FROM line_delivery_receipt");
    }

    private static final int BATCH = DeliveryReceipts.DEFAULT_FOLD_BATCH;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void manyEventsInOneRequestAreJournalledInOneInsertAndFoldedTogether(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(250);
        List<LineDeliveryEvent> events = new ArrayList<>(events(entries, "01JMANY"));
        events.add(events.get(7)); // LINE may repeat an event within a request
        events.add(new LineDeliveryEvent("01JMANYUNKNOWNTAG000000001", "no-such-delivery-tag-0001")); // matches nothing
        events.add(new LineDeliveryEvent("01JMANYNODATA0000000000001", null)); // delivery.data not a string
        events.add(new LineDeliveryEvent("01JMANYLONGDATA00000000001", "x".repeat(5_000))); // longer than any tag: names nothing

        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        receipts.append("default", events);
        // what the 200 waits for: the journal rows, nothing else
        assertThat(journal()).isEqualTo(254);
        assertThat(delivered()).as("the notifications are not touched on the request's path").isZero();
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isZero();

        DeliveryReceipts.Folded f = receipts.foldPending(BATCH);
        assertThat(f.receipts()).isEqualTo(254);
        assertThat(f.fresh()).as("distinct new event ids").isEqualTo(253);
        assertThat(f.delivered()).isEqualTo(250);
        assertThat(delivered()).isEqualTo(250);
        assertThat(deliveredHistory()).as("one history row each").isEqualTo(250);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL AND lease_owner IS NULL"))
                .isEqualTo(250);
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(253);
        assertThat(journal()).as("folded rows are deleted").isZero();

        // LINE sends the request again (no 2xx seen): journalled again, nothing new at the fold
        receipts.append("default", events);
        DeliveryReceipts.Folded again = receipts.foldPending(BATCH);
        assertThat(again.receipts()).isEqualTo(254);
        assertThat(again.fresh()).isZero();
        assertThat(again.delivered()).isZero();
        assertThat(deliveredHistory()).isEqualTo(250);
        assertThat(journal()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anEventOnAnotherChannelsWebhookNamingThisChannelsTagMarksNothing(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(3); // all on the channel "default"
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        receipts.append("th", events(entries, "01JOTHERCH"));
        DeliveryReceipts.Folded f = receipts.foldPending(BATCH);
        assertThat(f.receipts()).isEqualTo(3);
        assertThat(f.delivered()).isZero();
        assertThat(delivered()).as("a webhook of the channel th cannot deliver the channel default's notifications").isZero();
        assertThat(journal()).as("nothing deferred: the rows are not busy, they are another channel's").isZero();

        receipts.append("default", events(entries, "01JSAMECH"));
        assertThat(receipts.foldPending(BATCH).delivered()).isEqualTo(3);
        assertThat(delivered()).isEqualTo(3);
    }

    /**
     * The fold's look-up stays on the delivery tag's unique index whatever PostgreSQL's statistics say: its prepared
     * statement's generic plan, made before the table was first analysed, is what the hub runs for the rest of the
     * connection's life. With the channel and the statuses in its WHERE, that plan once combined the
     * channel and status indexes and filtered every awaiting notification by tag (2-13 s a fold at 100,000).
     */
    @Test
    void theFoldsLookUpUsesTheDeliveryTagIndexEvenBeforeTheTableIsAnalysed() throws Exception {
        open("postgres");
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE notification SET (autovacuum_enabled = false)");
            // a table filled faster than autovacuum analyses it (a big drop, a benchmark's queue): no statistics yet, so
            // PostgreSQL's default estimates (an equality matches 0.5 %) — the state in which the bad plan was chosen
            st.execute(insertSent(1, 30_000));
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE fold_lookup(varchar[]) AS " + DeliveryReceipts.LOCK_BY_TAGS.replace("?", "$1"));
            StringBuilder plan = new StringBuilder();
            try (var rs = st.executeQuery("EXPLAIN EXECUTE fold_lookup('{t-00007,t-29999}')")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("notification_delivery_tag_key").doesNotContain("Seq Scan").doesNotContain("BitmapAnd");
        }
    }

    private static String insertSent(int from, int to) {
        return "INSERT INTO notification (id, type, channel, line_operation, status, data, line_request, delivery_tag, next_attempt_at,"
                + " created_at, updated_at) SELECT 'n-' || i, 'shipping_complete', 'default', 'pnp', 'SENT', '{}', '{}',"
                + " 't-' || lpad(i::text, 5, '0'), now(), now(), now() FROM generate_series(" + from + ", " + to + ") AS i";
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aLargeJournalIsFoldedInBatchesOfTheGivenSize(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(120);
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        List<LineDeliveryEvent> events = events(entries, "01JBATCHES");
        for (int i = 0; i < 120; i += 10) {
            receipts.append("default", events.subList(i, i + 10)); // twelve requests
        }
        assertThat(receipts.fold(50).receipts()).as("one fold takes at most the batch, oldest first").isEqualTo(50);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND id IN ("
                + entries.subList(0, 50).stream().map(e -> "'" + e.id() + "'").collect(java.util.stream.Collectors.joining(",")) + ")"))
                .as("the oldest 50").isEqualTo(50);
        DeliveryReceipts.Folded rest = receipts.foldPending(50);
        assertThat(rest.receipts()).isEqualTo(70);
        assertThat(rest.delivered()).isEqualTo(70);
        assertThat(delivered()).isEqualTo(120);
        assertThat(journal()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theSameEventsInTwoRequestsAtOnceAreRecordedOnce(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(200);
        List<LineDeliveryEvent> events = events(entries, "01JTWICE");
        // the second request carries the same events in the opposite order (as a redelivery racing the first might)
        List<LineDeliveryEvent> reversed = new ArrayList<>(events);
        java.util.Collections.reverse(reversed);
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        // on PostgreSQL a second hub folds the same journal at the same time; the embedded H2 has one hub (its folds
        // take turns)
        DeliveryReceipts otherFolder = database.equals("postgres") ? new DeliveryReceipts(db, Clock.systemUTC()) : receipts;
        for (int round = 0; round < 3; round++) {
            List<LineDeliveryEvent> a = events.subList(round * 60, round * 60 + 60);
            List<LineDeliveryEvent> b = reversed.subList(200 - round * 60 - 60, 200 - round * 60);
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                await(together);
                receipts.append("default", a);
            });
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                await(together);
                receipts.append("default", b);
            });
            first.get(60, TimeUnit.SECONDS);
            second.get(60, TimeUnit.SECONDS);
            assertThat(journal()).as("both requests journalled, repeats kept").isEqualTo(120);

            CyclicBarrier foldTogether = new CyclicBarrier(2);
            CompletableFuture<DeliveryReceipts.Folded> foldA = CompletableFuture.supplyAsync(() -> {
                await(foldTogether);
                return receipts.foldPending(25);
            });
            CompletableFuture<DeliveryReceipts.Folded> foldB = CompletableFuture.supplyAsync(() -> {
                await(foldTogether);
                return otherFolder.foldPending(25);
            });
            DeliveryReceipts.Folded fa = foldA.get(60, TimeUnit.SECONDS);
            DeliveryReceipts.Folded fb = foldB.get(60, TimeUnit.SECONDS);
            assertThat(fa.receipts() + fb.receipts()).as("each journal row folded by one folder").isEqualTo(120);
            assertThat(fa.fresh() + fb.fresh()).as("each event new to exactly one fold").isEqualTo(60);
            assertThat(fa.delivered() + fb.delivered()).isEqualTo(60);
        }
        assertThat(delivered()).isEqualTo(180);
        assertThat(deliveredHistory()).as("recorded once each").isEqualTo(180);
        assertThat(journal()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres"})
    void aFoldWaitsForAnotherHoldingTheSameEventAndTakesItOverWhenThatOneRollsBack(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(2);
        List<LineDeliveryEvent> events = events(entries, "01JHELD");
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        receipts.append("default", events);
        try (Connection held = db.getConnection()) {
            held.setAutoCommit(false);
            // another hub's fold has claimed the first event id but not committed yet
            assertThat(WebhookEventIds.firstSeen(held, List.of(events.get(0).webhookEventId()), java.time.OffsetDateTime.now()))
                    .containsExactly(events.get(0).webhookEventId());
            CompletableFuture<DeliveryReceipts.Folded> waiting = CompletableFuture.supplyAsync(() -> receipts.fold(BATCH));
            Thread.sleep(500);
            assertThat(waiting).as("waits for the transaction holding the id").isNotDone();
            held.rollback(); // that fold failed: this one records the event
            DeliveryReceipts.Folded r = waiting.get(30, TimeUnit.SECONDS);
            assertThat(r.fresh()).isEqualTo(2);
            assertThat(r.delivered()).isEqualTo(2);
        }
        assertThat(deliveredHistory()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aWebhookForANotificationStillSendingEndsDeliveredAndTheLaterSentOutcomeKeepsIt(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = claimed(3); // LINE answered, but the group commit has not recorded it yet
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        receipts.append("default", events(entries, "01JSENDING"));
        DeliveryReceipts.Folded r = receipts.foldPending(BATCH);
        assertThat(r.delivered()).isEqualTo(3);
        assertThat(delivered()).isEqualTo(3);

        // now the group commit of LINE's answers arrives: SENT must not overwrite DELIVERED
        List<NotificationStatus> next = outcomes().recordOutcomes(
                entries.stream().map(e -> Outcome.sent(e, Instant.now(), 202, "req-" + e.id())).toList());
        assertThat(next).containsOnly(NotificationStatus.SENT);
        assertThat(delivered()).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND sent_at IS NOT NULL AND line_request_id LIKE 'req-%'"))
                .as("the row still learns when it was sent and LINE's request id").isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'SENT'")).as("no SENT after DELIVERED").isZero();
        assertThat(count("SELECT COUNT(*) FROM notification_attempt WHERE outcome = 'SENT'")).as("the attempts are kept").isEqualTo(3);
        // and nothing later takes it back (the webhook LINE sends again, the housekeeping of SENT LONs)
        receipts.append("default", events(entries, "01JSENDING"));
        assertThat(receipts.foldPending(BATCH).delivered()).isZero();
        assertThat(deliveredHistory()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aFoldNeverWaitsForANotificationAnotherTransactionHoldsAndTakesItsEventTheNextTime(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = claimed(3);
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        receipts.append("default", events(entries, "01JBUSY"));
        try (Connection writer = db.getConnection()) {
            // the outcome writer is recording LINE's answer for the first one and has not committed yet
            writer.setAutoCommit(false);
            try (var ps = writer.prepareStatement("UPDATE notification SET status = 'SENT', sent_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'SENDING'")) {
                ps.setString(1, entries.get(0).id());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            DeliveryReceipts.Folded f = CompletableFuture.supplyAsync(() -> receipts.fold(BATCH)).get(10, TimeUnit.SECONDS);
            assertThat(f.delivered()).as("the two rows nobody holds").isEqualTo(2);
            assertThat(f.fresh()).isEqualTo(2);
            assertThat(f.receipts()).isEqualTo(2);
            assertThat(journal()).as("the held one's event stays journalled").isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).as("and is not marked seen").isEqualTo(2);
            writer.commit();
        }
        DeliveryReceipts.Folded next = receipts.foldPending(BATCH);
        assertThat(next.fresh()).isEqualTo(1);
        assertThat(next.delivered()).isEqualTo(1);
        assertThat(delivered()).isEqualTo(3);
        assertThat(deliveredHistory()).isEqualTo(3);
        assertThat(journal()).isZero();
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aHubStoppingBeforeTheJournalCommitAnswersNo200AndLinesRedeliveryIsRecordedOnce(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(50);
        List<LineDeliveryEvent> events = events(entries, "01JCRASH");
        AtomicBoolean dies = new AtomicBoolean(true);
        DeliveryReceipts dying = new DeliveryReceipts(failingCommits(db, dies), Clock.systemUTC());

        // the hub dies between the insert and its commit: the route gets an exception, so LINE gets no 200
        assertThatThrownBy(() -> dying.append("default", events)).isInstanceOf(OutboxException.class);
        assertThat(journal()).as("nothing journalled").isZero();

        // LINE redelivers (same webhookEventIds): journalled now, and the 200 is sent...
        DeliveryReceipts restarted = new DeliveryReceipts(db, Clock.systemUTC());
        restarted.append("default", events);
        // ...but lost on the way (the hub stopped right after the commit): LINE redelivers once more
        restarted.append("default", events);
        assertThat(journal()).isEqualTo(100);
        DeliveryReceipts.Folded f = restarted.foldPending(BATCH);
        assertThat(f.fresh()).isEqualTo(50);
        assertThat(f.delivered()).isEqualTo(50);
        assertThat(delivered()).isEqualTo(50);
        assertThat(deliveredHistory()).as("recorded once each").isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aHubStoppingBetweenTheJournalAndTheFoldFoldsAfterItsRestartOnce(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(50);
        List<LineDeliveryEvent> events = events(entries, "01JBETWEEN");
        // the request is journalled and answered 200; the hub then stops before folding it
        new DeliveryReceipts(db, Clock.systemUTC()).append("default", events);
        assertThat(journal()).isEqualTo(50);
        assertThat(delivered()).isZero();

        // after the restart a fold starts and the hub stops again before its commit: nothing of it stays
        AtomicBoolean dies = new AtomicBoolean(true);
        DeliveryReceipts dying = new DeliveryReceipts(failingCommits(db, dies), Clock.systemUTC());
        assertThatThrownBy(() -> dying.fold(BATCH)).isInstanceOf(OutboxException.class);
        assertThat(dying.foldPending(BATCH).receipts()).as("the route's step logs the failure and leaves the rows").isZero();
        assertThat(journal()).as("the journal rows are still there").isEqualTo(50);
        assertThat(delivered()).isZero();
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).as("no event id kept").isZero();

        // the next start folds them, once
        DeliveryReceipts restarted = new DeliveryReceipts(db, Clock.systemUTC());
        DeliveryReceipts.Folded f = restarted.foldPending(BATCH);
        assertThat(f.receipts()).isEqualTo(50);
        assertThat(f.delivered()).isEqualTo(50);
        assertThat(restarted.foldPending(BATCH).receipts()).isZero();
        assertThat(deliveredHistory()).isEqualTo(50);
        assertThat(journal()).isZero();
        // LINE's redelivery arriving after all that changes nothing
        restarted.append("default", events);
        assertThat(restarted.foldPending(BATCH).fresh()).isZero();
        assertThat(deliveredHistory()).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void housekeepingForgetsEventIdsOlderThanTheRetentionInBatchesAndKeepsTheNewerOnes(String database) throws Exception {
        open(database);
        Clock now = Clock.systemUTC();
        WebhookEventIds eightDaysAgo = new WebhookEventIds(db, Clock.offset(now, Duration.ofDays(-8)));
        WebhookEventIds sixDaysAgo = new WebhookEventIds(db, Clock.offset(now, Duration.ofDays(-6)));
        for (int i = 0; i < 10; i++) {
            assertThat(eightDaysAgo.add("01JOLD" + String.format("%020d", i))).isTrue();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(sixDaysAgo.add("01JKEPT" + String.format("%019d", i))).isTrue();
        }
        WebhookEventIds ids = new WebhookEventIds(db, now);
        assertThat(ids.add("01JNEW0000000000000000001")).isTrue();

        assertThat(ids.prune("P7D", 3)).as("ten old ids, three per statement").isEqualTo(10);
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(5);
        assertThat(ids.contains("01JOLD" + String.format("%020d", 9))).isFalse();
        assertThat(ids.contains("01JKEPT" + String.format("%019d", 0))).as("within the retention: a redelivery is still recognised").isTrue();
        assertThat(ids.add("01JKEPT" + String.format("%019d", 0))).isFalse();
        assertThat(ids.prune("P7D", 3)).as("nothing left to forget").isZero();
        assertThat(ids.prune("P5D", 10_000)).isEqualTo(4);

        assertThatThrownBy(() -> ids.prune("PT1H", 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HUB_WEBHOOK_EVENT_RETENTION").hasMessageContaining("at least");
        assertThatThrownBy(() -> ids.prune("a week", 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HUB_WEBHOOK_EVENT_RETENTION").hasMessageContaining("ISO-8601");
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(1);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same database, whose connections fail at commit (after every statement ran) while {@code dies} is set. */
    private static DataSource failingCommits(DataSource db, AtomicBoolean dies) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = db.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && dies.get()) {
                        throw new SQLException("the hub stopped before the commit");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
            }

            @Override
            public Connection getConnection(String user, String password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
