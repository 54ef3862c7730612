package io.linehub.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.outbox.Claims;
import io.linehub.outbox.OutboxSettings;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub's claimed notifications are taken back by another hub as soon as the first one's heartbeat is older than the
 * node lease, long before the claims' own lease (60 s) runs out: LON as UNCERTAIN (never re-sent blindly), pushes to
 * RETRY_WAIT (re-sent under their retry key). While the hub lives, its heartbeat keeps them; the hub itself stops
 * sending them just before its node lease ends.
 */
class NodeLeaseRecoveryTest {

    static final String PG_URL = ClusterRateSharesTest.PG_URL;
    static final String PG_USER = ClusterRateSharesTest.PG_USER;
    static final Duration NODE_LEASE = Duration.ofSeconds(2);

    private PostgresSchema schema;
    private HikariDataSource db;

    @BeforeEach
    void schema() throws Exception {
        schema = PostgresSchema.create("lease-test");
        db = schema.db();
    }

    @AfterEach
    void drop() throws Exception {
        schema.close();
    }

    @Test
    void aDeadHubsClaimsComeBackAfterItsNodeLeaseNotTheClaimLease() throws Exception {
        HubProcesses.queue(db, 20, 20);
        OutboxSettings settings = OutboxSettings.unpacked(Duration.ofSeconds(60), 10);
        ClusterHeartbeat heartbeatA = new ClusterHeartbeat(db, "hub-a", RateShareGate.clustered(Runnable::run), Duration.ofSeconds(1), NODE_LEASE);
        ClusterHeartbeat heartbeatB = new ClusterHeartbeat(db, "hub-b", RateShareGate.clustered(Runnable::run), Duration.ofSeconds(1), NODE_LEASE);
        heartbeatA.round();
        heartbeatB.round();
        Claims a = new Claims(db, Clock.systemUTC(), "hub-a", settings).withNodeLeases(NODE_LEASE);
        Claims b = new Claims(db, Clock.systemUTC(), "hub-b", settings).withNodeLeases(NODE_LEASE);
        assertThat(a.claimDue(100)).hasSize(40);
        assertThat(heartbeatA.nodeLeaseHeld()).isTrue();

        // A lives (its heartbeat is renewed): B takes nothing
        for (int i = 0; i < 6; i++) {
            Thread.sleep(500);
            heartbeatA.round();
            heartbeatB.round();
            assertThat(b.recoverExpiredLeases()).as("while A's heartbeat is renewed").isZero();
        }
        // A dies: just before its node lease ends it stops sending; once it has ended B takes its claims back
        long diedAt = System.nanoTime();
        Thread.sleep(NODE_LEASE.toMillis() - ClusterHeartbeat.NODE_GUARD_NANOS / 1_000_000 + 100);
        assertThat(heartbeatA.nodeLeaseHeld()).as("A near the end of its node lease").isFalse();
        heartbeatB.round();
        assertThat(b.recoverExpiredLeases()).as("A's node lease has not yet ended in the database").isZero();
        int recovered = 0;
        while (recovered == 0 && System.nanoTime() - diedAt < NODE_LEASE.plusSeconds(3).toNanos()) {
            Thread.sleep(100);
            heartbeatB.round();
            recovered = b.recoverExpiredLeases();
        }
        assertThat(recovered).isEqualTo(40);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE line_operation = 'pnp-template' AND status = 'UNCERTAIN'")).isEqualTo(20);
        assertThat(count("SELECT COUNT(*) FROM notification WHERE line_operation = 'push' AND status = 'RETRY_WAIT'")).isEqualTo(20);
        assertThat(b.claimDue(100)).as("the pushes go on from B; LONs wait for LINE's webhook").hasSize(20);
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
