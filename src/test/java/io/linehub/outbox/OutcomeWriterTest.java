package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.line.LineApiException;
import io.linehub.line.LineErrorKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of LINE's answers on PostgreSQL: many outcomes handed over at once are each recorded with their
 * attempt and history, each caller hears its own next status, and one outcome that cannot be recorded does not
 * spoil the others of its group.
 */
class OutcomeWriterTest {

    private final String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private HikariDataSource db;
    private NotificationQueue queue;
    private Claims claims;
    private NotificationReadModel notifications;
    private OutcomeWriter writer;
    private java.util.concurrent.ExecutorService continuation;

    @BeforeEach
    void setUp() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresOutboxTest.PG_URL, PostgresOutboxTest.PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        db = Database.open("pg-test", PostgresOutboxTest.PG_URL + "?currentSchema=" + schema, PostgresOutboxTest.PG_USER, null, 4);
        Database.migrate(db);
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 3);
        queue = new NotificationQueue(db, Clock.systemUTC(), settings);
        claims = new Claims(db, Clock.systemUTC(), "node-a", settings);
        notifications = new NotificationReadModel(db);
        continuation = java.util.concurrent.Executors.newFixedThreadPool(2, r -> new Thread(r, "continuation"));
        writer = new OutcomeWriter(new OutcomeStore(db, Clock.systemUTC(), new RetryPolicy(settings.maxAttempts()), new ChannelPauses(db, Clock.systemUTC())),
                50, 2, continuation);
        writer.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.stop();
        continuation.shutdownNow();
        db.close();
        try (Connection c = DriverManager.getConnection(PostgresOutboxTest.PG_URL, PostgresOutboxTest.PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private List<OutboxEntry> queueAndClaim(int n, String operation) {
        for (int i = 0; i < n; i++) {
            queue.enqueue(new NewNotification("shipping_complete", "default", operation, "C-" + i, operation.startsWith("pnp-") ? "h" + i : null,
                    "+66 8xxxx5678", "TH", "th", "{}", "{\"to\":\"x\"}", null, "d" + i, operation.equals("push") ? "U" + i : null,
                    operation.equals("push") ? UUID.randomUUID().toString() : null, null, "test"));
        }
        return claims.claimDue(n);
    }

    /** Two writers, the callers hearing their results on the continuation pool: each exactly once. */
    @Test
    void manyOutcomesAtOnceAreEachRecordedAndEachCallerHearsItsOwn() throws Exception {
        List<OutboxEntry> lon = queueAndClaim(120, "pnp-template");
        assertThat(lon).hasSize(120);
        Map<String, NotificationStatus> heard = new ConcurrentHashMap<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(lon.size());
        Instant started = Instant.now();
        for (int i = 0; i < lon.size(); i++) {
            OutboxEntry e = lon.get(i);
            Outcome o = switch (i % 4) {
                case 0, 1 -> Outcome.sent(e, started, 202, "req-" + i);
                // a 500 after sending: LINE may have it, and a LON has no retry key
                case 2 -> Outcome.failed(e, started, new LineApiException(500, "boom", List.of(), "req-" + i, LineErrorKind.RETRYABLE, false, null));
                default -> Outcome.failed(e, started, new LineApiException(400, "bad", List.of(), "req-" + i, LineErrorKind.FINAL, false, null));
            };
            writer.submit(o, (next, failure) -> {
                if (!Thread.currentThread().getName().equals("continuation")) {
                    errors.add(new AssertionError("heard on " + Thread.currentThread().getName()));
                }
                if (failure != null) {
                    errors.add(failure);
                } else if (heard.put(e.id(), next) != null) {
                    errors.add(new AssertionError("heard twice: " + e.id()));
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).isEmpty();
        for (int i = 0; i < lon.size(); i++) {
            NotificationStatus expected = switch (i % 4) {
                case 0, 1 -> NotificationStatus.SENT;
                case 2 -> NotificationStatus.UNCERTAIN;
                default -> NotificationStatus.FAILED;
            };
            String id = lon.get(i).id();
            assertThat(heard.get(id)).as("status heard for %s", id).isEqualTo(expected);
            Map<String, Object> view = notifications.view(id).orElseThrow();
            assertThat(view.get("status")).isEqualTo(expected.name());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) view.get("attempts");
            assertThat(attempts).hasSize(1);
            assertThat(attempts.get(0).get("outcome")).isEqualTo(expected.name());
            assertThat(attempts.get(0).get("lineRequestId")).isEqualTo("req-" + i);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> history = (List<Map<String, Object>>) view.get("history");
            assertThat(history).extracting(h -> h.get("status")).containsExactly("QUEUED", "SENDING", expected.name());
            if (expected == NotificationStatus.SENT) {
                assertThat(view.get("sentAt")).isNotNull();
                assertThat(view.get("lastError")).isNull();
            } else {
                assertThat(view.get("sentAt")).isNull();
                assertThat((String) view.get("lastError")).contains(expected == NotificationStatus.FAILED ? "bad" : "boom");
            }
        }
    }

    @Test
    void oneOutcomeThatCannotBeRecordedDoesNotSpoilItsGroup() throws Exception {
        List<OutboxEntry> push = queueAndClaim(10, "push");
        List<Object[]> results = new ArrayList<>();
        List<OutcomeWriter.Pending> group = new ArrayList<>();
        for (int i = 0; i < push.size(); i++) {
            // the sixth has no start time: its attempt row cannot be written, so the group's transaction fails
            Outcome o = Outcome.sent(push.get(i), i == 5 ? null : Instant.now(), 200, "req-" + i);
            group.add(new OutcomeWriter.Pending(o, (next, failure) -> results.add(new Object[]{o.entry().id(), next, failure})));
        }
        writer.record(group);
        assertThat(results).hasSize(10);
        for (Object[] r : results) {
            boolean broken = r[0].equals(push.get(5).id());
            assertThat(r[2] != null).as("failure for %s", r[0]).isEqualTo(broken);
            assertThat(r[1]).isEqualTo(broken ? null : NotificationStatus.SENT);
            assertThat(notifications.view((String) r[0]).orElseThrow().get("status")).isEqualTo(broken ? "SENDING" : "SENT");
        }
    }
}
