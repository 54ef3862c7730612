package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.line.LineDeliveryEvent;
import org.junit.jupiter.api.AfterEach;
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
 * HUB_TEST_PG_URL, in a schema of its own): a request's delivery events are de-duplicated and recorded in one
 * transaction, each exactly once — many in one request, the same events in two requests at once, a webhook that
 * overtakes the group commit of LINE's answer, and a hub that stops before the commit.
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

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void manyEventsInOneRequestAreRecordedTogether(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(250);
        List<LineDeliveryEvent> events = new ArrayList<>(events(entries, "01JMANY"));
        events.add(events.get(7)); // LINE may repeat an event within a request
        events.add(new LineDeliveryEvent("01JMANYUNKNOWNTAG000000001", "no-such-delivery-tag-0001")); // matches nothing
        events.add(new LineDeliveryEvent("01JMANYNODATA0000000000001", null)); // delivery.data not a string

        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        DeliveryReceipts.Recorded r = receipts.record("default", events);

        assertThat(r.events()).isEqualTo(253);
        assertThat(r.fresh()).as("distinct new event ids").isEqualTo(252);
        assertThat(r.delivered()).isEqualTo(250);
        assertThat(delivered()).isEqualTo(250);
        assertThat(deliveredHistory()).as("one history row each").isEqualTo(250);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL AND lease_owner IS NULL"))
                .isEqualTo(250);
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).isEqualTo(252);

        // LINE sends the request again (no 2xx seen): nothing new
        DeliveryReceipts.Recorded again = receipts.record("default", events);
        assertThat(again.fresh()).isZero();
        assertThat(again.delivered()).isZero();
        assertThat(deliveredHistory()).isEqualTo(250);
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
        for (int round = 0; round < 3; round++) {
            List<LineDeliveryEvent> a = events.subList(round * 60, round * 60 + 60);
            List<LineDeliveryEvent> b = reversed.subList(200 - round * 60 - 60, 200 - round * 60);
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<DeliveryReceipts.Recorded> first = CompletableFuture.supplyAsync(() -> {
                await(together);
                return receipts.record("default", a);
            });
            CompletableFuture<DeliveryReceipts.Recorded> second = CompletableFuture.supplyAsync(() -> {
                await(together);
                return receipts.record("default", b);
            });
            DeliveryReceipts.Recorded ra = first.get(60, TimeUnit.SECONDS);
            DeliveryReceipts.Recorded rb = second.get(60, TimeUnit.SECONDS);
            assertThat(ra.fresh() + rb.fresh()).as("each event new to exactly one request").isEqualTo(60);
            assertThat(ra.delivered() + rb.delivered()).isEqualTo(60);
        }
        assertThat(delivered()).isEqualTo(180);
        assertThat(deliveredHistory()).as("recorded once each").isEqualTo(180);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres"})
    void aRequestWaitsForAnotherHoldingTheSameEventAndTakesItOverWhenThatOneRollsBack(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(2);
        List<LineDeliveryEvent> events = events(entries, "01JHELD");
        DeliveryReceipts receipts = new DeliveryReceipts(db, Clock.systemUTC());
        try (Connection held = db.getConnection()) {
            held.setAutoCommit(false);
            // another request has claimed the first event id but not committed yet
            assertThat(WebhookEventIds.firstSeen(held, List.of(events.get(0).webhookEventId()), java.time.OffsetDateTime.now()))
                    .containsExactly(events.get(0).webhookEventId());
            CompletableFuture<DeliveryReceipts.Recorded> waiting = CompletableFuture.supplyAsync(() -> receipts.record("default", events));
            Thread.sleep(500);
            assertThat(waiting).as("waits for the transaction holding the id").isNotDone();
            held.rollback(); // that request failed (no 200): this one records the event
            DeliveryReceipts.Recorded r = waiting.get(30, TimeUnit.SECONDS);
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
        DeliveryReceipts.Recorded r = receipts.record("default", events(entries, "01JSENDING"));
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
        assertThat(receipts.record("default", events(entries, "01JSENDING")).delivered()).isZero();
        assertThat(deliveredHistory()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aHubStoppingBeforeTheCommitAnswersNo200AndLinesRedeliveryIsRecordedOnce(String database) throws Exception {
        open(database);
        List<OutboxEntry> entries = sent(50);
        List<LineDeliveryEvent> events = events(entries, "01JCRASH");
        AtomicBoolean dies = new AtomicBoolean(true);
        DeliveryReceipts dying = new DeliveryReceipts(failingCommits(db, dies), Clock.systemUTC());

        // the hub dies between the statements and the commit: the route gets an exception, so LINE gets no 200
        assertThatThrownBy(() -> dying.record("default", events)).isInstanceOf(OutboxException.class);
        assertThat(delivered()).as("nothing recorded").isZero();
        assertThat(count("SELECT COUNT(*) FROM line_webhook_event")).as("no event id kept").isZero();

        // LINE redelivers (same webhookEventIds): recorded now, once
        DeliveryReceipts restarted = new DeliveryReceipts(db, Clock.systemUTC());
        assertThat(restarted.record("default", events).delivered()).isEqualTo(50);
        // the commit went through but the 200 was lost: LINE redelivers once more; recognised by the event ids
        DeliveryReceipts.Recorded again = restarted.record("default", events);
        assertThat(again.fresh()).isZero();
        assertThat(again.delivered()).isZero();
        assertThat(delivered()).isEqualTo(50);
        assertThat(deliveredHistory()).isEqualTo(50);
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
