package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NotificationQueue#enqueueAll}: many notifications in one transaction, each with the outcome one {@code enqueue} after
 * the other would give it, on embedded H2 and on PostgreSQL (HUB_TEST_PG_URL, a schema of its own).
 */
class EnqueueAllTest {

    static final String PG_URL = System.getenv().getOrDefault("HUB_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getenv().getOrDefault("HUB_TEST_PG_USER", "postgres");

    private HikariDataSource db;
    private String pgSchema;

    private NotificationQueue outbox(String database) throws Exception {
        if (database.equals("h2")) {
            db = Database.open("enqueue-all", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                    null, null, 4);
        } else {
            pgSchema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + pgSchema);
            }
            db = Database.open("enqueue-all-pg", PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema, PG_USER, null, 4);
        }
        Database.migrate(db);
        return outbox(db);
    }

    private static NotificationQueue outbox(DataSource ds) {
        return new NotificationQueue(ds, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofSeconds(60), 5));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        if (pgSchema != null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + pgSchema + " CASCADE");
            }
        }
    }

    private static NewNotification row(String key, String digest, String decision) {
        return new NewNotification("shipping_complete", "default", "pnp-template", "C-1001", "hash-" + digest, "+66 8xxxx5678", "TH", "th",
                "{\"orderNumber\":\"" + digest + "\"}", "{\"to\":\"hash\"}", key, digest, null, null, null, decision);
    }

    private static NewNotification row(String key, String digest) {
        return row(key, digest, "auto: a LINE notification message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsOfOneBatchWithTheSameKeyGetWhatOneEnqueueAfterTheOtherWouldGive(String database) throws Exception {
        NotificationQueue outbox = outbox(database);

        List<EnqueueOutcome> out = outbox.enqueueAll(List.of(row("k-1", "a"), row("k-1", "a"), row("k-2", "b"), row("k-2", "changed"),
                row(null, "c"), row(null, "c")));

        assertThat(out).hasSize(6);
        assertThat(out.get(0).result().created()).isTrue();
        assertThat(out.get(1).result().created()).as("the same key and request: the first one's notification").isFalse();
        assertThat(out.get(1).result().id()).isEqualTo(out.get(0).result().id());
        assertThat(out.get(1).result().status()).isEqualTo(NotificationStatus.QUEUED);
        assertThat(out.get(2).result().created()).isTrue();
        assertThat(out.get(3).result()).isNull();
        assertThat(out.get(3).refusal()).as("the same key with another request").hasMessageContaining(out.get(2).result().id());
        assertThat(out.get(4).result().created()).as("no key: always a new notification").isTrue();
        assertThat(out.get(5).result().created()).isTrue();
        assertThat(out.get(5).result().id()).isNotEqualTo(out.get(4).result().id());
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(4);
        assertThat(count("SELECT COUNT(DISTINCT created_at) FROM notification")).as("stored in one transaction, not one by one").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history WHERE status = 'QUEUED'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'k-1' AND id = '" + out.get(0).result().id() + "'")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void keysStoredBeforeGiveTheEarlierNotificationOrAConflictAndNewRowsLookLikeEnqueuedOnes(String database) throws Exception {
        NotificationQueue outbox = outbox(database);
        EnqueueResult earlier = outbox.enqueue(row("k-0", "a"));
        assertThat(new Claims(db, Clock.systemUTC(), "node-a", OutboxSettings.unpacked(Duration.ofSeconds(60), 5)).claimDue(10)).hasSize(1); // SENDING now: a duplicate answers with the status it has

        List<EnqueueOutcome> out = outbox.enqueueAll(List.of(row("k-0", "a"), row("k-0", "changed"), row("k-1", "b", "requested: push")));

        assertThat(out.get(0).result()).isEqualTo(new EnqueueResult(earlier.id(), NotificationStatus.SENDING, false));
        assertThat(out.get(1).refusal()).isInstanceOf(IdempotencyConflictException.class).hasMessageContaining(earlier.id());
        String id = out.get(2).result().id();
        var view = new NotificationReadModel(db).view(id).orElseThrow();
        assertThat(view.get("status")).isEqualTo("QUEUED");
        assertThat(view.get("history").toString()).contains("QUEUED").contains("requested: push");
        assertThat(count("SELECT COUNT(*) FROM notification WHERE id = '" + id + "' AND delivery_tag = id AND idempotency_key = 'k-1'"
                + " AND request_digest = 'b' AND attempts = 0 AND expires_at > created_at")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void keysBeyondOneLookupAreAllFound(String database) throws Exception {
        NotificationQueue outbox = outbox(database);
        EnqueueResult earlier = outbox.enqueue(row("k-" + (NotificationQueue.KEYS_PER_LOOKUP + 7), "x"));
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < NotificationQueue.KEYS_PER_LOOKUP + 20; i++) {
            batch.add(row("k-" + i, "x"));
        }

        List<EnqueueOutcome> out = outbox.enqueueAll(batch);

        assertThat(out.get(NotificationQueue.KEYS_PER_LOOKUP + 7).result()).isEqualTo(new EnqueueResult(earlier.id(), NotificationStatus.QUEUED, false));
        assertThat(out).filteredOn(o -> o.result().created()).hasSize(NotificationQueue.KEYS_PER_LOOKUP + 19);
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(NotificationQueue.KEYS_PER_LOOKUP + 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBatchAnotherWriterGotAheadOfIsStoredOneByOneWithEachRowsRealOutcome(String database) throws Exception {
        NotificationQueue other = outbox(database);
        List<EnqueueResult> concurrent = new ArrayList<>();
        // between the batch's key look-up and its inserts, another hub (or an API request) stores two of its keys
        NotificationQueue outbox = outbox(beforeInsert(1, db, () -> {
            concurrent.add(other.enqueue(row("k-2", "b")));
            concurrent.add(other.enqueue(row("k-3", "someone else's")));
        }));

        List<EnqueueOutcome> out = outbox.enqueueAll(List.of(row("k-1", "a"), row("k-2", "b"), row("k-3", "c"), row("k-1", "a"), row("k-4", "d")));

        assertThat(concurrent).hasSize(2);
        assertThat(out.get(0).result().created()).isTrue();
        assertThat(out.get(1).result()).isEqualTo(new EnqueueResult(concurrent.get(0).id(), NotificationStatus.QUEUED, false));
        assertThat(out.get(2).refusal()).hasMessageContaining(concurrent.get(1).id());
        assertThat(out.get(3).result()).isEqualTo(new EnqueueResult(out.get(0).result().id(), NotificationStatus.QUEUED, false));
        assertThat(out.get(4).result().created()).isTrue();
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).as("nothing left of the rolled-back batch").isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLongBatchIsCommittedInSeveralTransactionsAndAFailedOneLeavesTheEarlierOnes(String database) throws Exception {
        NotificationQueue other = outbox(database);
        int rows = 2 * NotificationQueue.ROWS_PER_TRANSACTION + 10;
        int second = NotificationQueue.ROWS_PER_TRANSACTION; // the first row of the second transaction
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(row("k-" + i, "d" + i));
        }
        batch.set(rows - 2, row("k-" + (second + 10), "d" + (second + 10))); // repeats a row of the second transaction
        List<EnqueueResult> concurrent = new ArrayList<>();
        // before the second transaction, another writer stores the key of one of its rows and of a row after it
        NotificationQueue outbox = outbox(beforeInsert(2, db, () -> {
            concurrent.add(other.enqueue(row("k-" + (second + 5), "d" + (second + 5))));
            concurrent.add(other.enqueue(row("k-" + (rows - 5), "someone else's")));
        }));

        List<EnqueueOutcome> out = outbox.enqueueAll(batch);

        assertThat(out).hasSize(rows);
        assertThat(out.subList(0, second)).allSatisfy(o -> assertThat(o.result().created()).isTrue());
        assertThat(out.get(second + 5).result()).isEqualTo(new EnqueueResult(concurrent.get(0).id(), NotificationStatus.QUEUED, false));
        assertThat(out.get(rows - 5).refusal()).hasMessageContaining(concurrent.get(1).id());
        assertThat(out.get(rows - 2).result()).isEqualTo(new EnqueueResult(out.get(second + 10).result().id(), NotificationStatus.QUEUED, false));
        assertThat(out).filteredOn(o -> o.result() != null && o.result().created()).hasSize(rows - 3);
        assertThat(count("SELECT COUNT(*) FROM notification")).isEqualTo(rows - 3 + 2);
        assertThat(count("SELECT COUNT(*) FROM notification_status_history")).isEqualTo(rows - 3 + 2);
        // the first transaction's rows share its time; the rest were stored one by one
        assertThat(count("SELECT COUNT(DISTINCT created_at) FROM notification WHERE idempotency_key IN ('k-0', 'k-" + (second - 1) + "')")).isEqualTo(1);
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The database, with {@code writer} run once just before the {@code nth} transaction writing notification rows
     * writes them (an INSERT prepared, or the savepoint before PostgreSQL's COPY straight in).
     */
    private static DataSource beforeInsert(int nth, DataSource db, Runnable writer) {
        AtomicInteger inserts = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(EnqueueAllTest.class.getClassLoader(), new Class<?>[]{DataSource.class}, (p, m, args) -> {
            Object result = invoke(db, m, args);
            if (!m.getName().equals("getConnection")) {
                return result;
            }
            Connection c = (Connection) result;
            // a transaction's first write of notification rows: an INSERT, or on PostgreSQL the savepoint before the
            // COPY straight in (its fall-back INSERT is the same write)
            boolean[] firstOfTransaction = {true};
            return Proxy.newProxyInstance(EnqueueAllTest.class.getClassLoader(), new Class<?>[]{Connection.class}, (cp, cm, cargs) -> {
                boolean write = cm.getName().equals("setSavepoint")
                        || cm.getName().equals("prepareStatement") && cargs[0].toString().startsWith("INSERT INTO notification ");
                if (write && firstOfTransaction[0]) {
                    firstOfTransaction[0] = false;
                    if (inserts.incrementAndGet() == nth) {
                        writer.run();
                    }
                }
                if ((cm.getName().equals("commit") || cm.getName().equals("rollback")) && cargs == null) {
                    firstOfTransaction[0] = true;
                }
                return invoke(c, cm, cargs);
            });
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
