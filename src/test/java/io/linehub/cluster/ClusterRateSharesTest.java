package io.linehub.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.testsupport.PostgresSchema;
import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hubs' rate shares on one PostgreSQL (HUB_TEST_PG_URL, a schema of its own): the budget is split between the hubs
 * with work, a hub gives back only what it no longer has out, the granted shares never add up to more than the
 * budget, and a hub that stops renewing loses its permits at the end of its lease while the other gets its share
 * only after the quarantine.
 */
class ClusterRateSharesTest {

    static final String PG_URL = PostgresSchema.PG_URL;
    static final String PG_USER = PostgresSchema.PG_USER;
    static final String KEY = "default:pnp-template";
    static final int BUDGET = 100;
    static final Duration SHARE_LEASE = Duration.ofMillis(1_000);

    private PostgresSchema schema;
    private HikariDataSource db;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void schema() throws Exception {
        schema = PostgresSchema.create("shares-test");
        db = schema.db();
    }

    @AfterEach
    void drop() throws Exception {
        schema.close();
    }

    @Test
    void theBudgetIsSharedGivenBackOnlyWhenReturnedAndTakenOverAfterTheQuarantine() throws Exception {
        RateShareGate gateA = RateShareGate.clustered(Runnable::run);
        RateShareGate gateB = RateShareGate.clustered(Runnable::run);
        ClusterHeartbeat a = new ClusterHeartbeat(db, "hub-a", gateA, SHARE_LEASE, Duration.ofSeconds(3));
        ClusterHeartbeat b = new ClusterHeartbeat(db, "hub-b", gateB, SHARE_LEASE, Duration.ofSeconds(3));
        a.round();
        b.round();

        // A alone has work: after a round it may have the whole budget out, not one more
        List<Exchange> atA = new ArrayList<>();
        AtomicInteger passedA = new AtomicInteger();
        Exchange first = send(gateA, passedA);
        assertThat(passedA).as("no share before a round").hasValue(0);
        a.round();
        assertThat(passedA).hasValue(1);
        atA.add(first);
        for (int i = 1; i < BUDGET + 1; i++) {
            atA.add(send(gateA, passedA));
        }
        assertThat(passedA).hasValue(BUDGET);
        assertThat(granted("hub-a")).isEqualTo(BUDGET);

        // B gets work: nothing is free yet; A's fair share halves, but it keeps granted what it has out
        AtomicInteger passedB = new AtomicInteger();
        List<Exchange> atB = new ArrayList<>();
        atB.add(send(gateB, passedB));
        b.round();
        assertThat(passedB).hasValue(0);
        a.round();
        assertThat(gateA.limit(KEY)).isEqualTo(BUDGET / 2);
        assertThat(granted("hub-a")).isEqualTo(BUDGET);
        assertThat(grantedSum()).isLessThanOrEqualTo(BUDGET);

        // 60 of A's permits come back: the one waiting at A goes on (41 out), and A gives back all but its half
        for (int i = 0; i < 60; i++) {
            complete(atA.remove(0));
        }
        assertThat(passedA).hasValue(BUDGET + 1);
        a.round();
        assertThat(granted("hub-a")).isEqualTo(BUDGET / 2);
        b.round();
        assertThat(passedB).hasValue(1);
        assertThat(gateB.limit(KEY)).isEqualTo(BUDGET / 2);
        assertThat(grantedSum()).isLessThanOrEqualTo(BUDGET);

        // A stops renewing (killed, stalled, cut off): at the end of its lease it hands out nothing more
        long stoppedAt = System.nanoTime();
        atA.forEach(ClusterRateSharesTest::complete);
        atA.clear();
        Thread.sleep(SHARE_LEASE.toMillis());
        send(gateA, passedA);
        assertThat(passedA).as("A past its lease").hasValue(BUDGET + 1);
        // B has work for the whole budget; it gets A's half only once A's lease and the quarantine are over
        for (int i = 0; i < BUDGET; i++) {
            atB.add(send(gateB, passedB));
        }
        while (System.nanoTime() - stoppedAt < SHARE_LEASE.plus(ClusterHeartbeat.QUARANTINE).toNanos() - 200_000_000L) {
            b.round();
            assertThat(gateB.limit(KEY)).as("B while A's share still counts").isEqualTo(BUDGET / 2);
            Thread.sleep(100);
        }
        Thread.sleep(600);
        b.round();
        assertThat(gateB.limit(KEY)).as("B alone").isEqualTo(BUDGET);
        assertThat(passedB).as("B's exchanges out: the whole budget, one still waiting").hasValue(BUDGET);
        assertThat(granted("hub-b")).isEqualTo(BUDGET);
        assertThat(granted("hub-a")).as("A's row is left as it was, and no longer counts").isEqualTo(BUDGET / 2);
    }

    @Test
    void theBudgetIsSplitEvenlyAmongHubsWithWork() {
        List<ClusterHeartbeat.Peer> peers = List.of(new ClusterHeartbeat.Peer("b", 0, true, true), new ClusterHeartbeat.Peer("c", 0, true, true),
                new ClusterHeartbeat.Peer("d", 700, false, true));
        // d is idle but still holds 700 granted: a, b, c each aim at 2000/3, a (first by id) gets the remainder
        ClusterHeartbeat.Allocation a = ClusterHeartbeat.allocate(2000, "a", true, peers);
        assertThat(a.available()).isEqualTo(1300);
        assertThat(a.limit()).isEqualTo(667);
        assertThat(ClusterHeartbeat.allocate(2000, "e", true, peers).limit()).isEqualTo(666);
        assertThat(ClusterHeartbeat.allocate(2000, "a", false, peers).limit()).isZero();
        // a dead hub's grant no longer counts once past its quarantine; a live hub without work takes no part
        List<ClusterHeartbeat.Peer> afterDeath = List.of(new ClusterHeartbeat.Peer("b", 1000, false, false));
        assertThat(ClusterHeartbeat.allocate(2000, "a", true, afterDeath)).isEqualTo(new ClusterHeartbeat.Allocation(2000, 2000));
    }

    private Exchange send(RateShareGate gate, AtomicInteger passed) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(HubHeaders.RATE_KEY, KEY);
        e.getMessage().setHeader(HubHeaders.RATE_BUDGET, BUDGET);
        gate.process(e, doneSync -> passed.incrementAndGet());
        return e;
    }

    private static void complete(Exchange e) {
        for (Synchronization s : e.getExchangeExtension().handoverCompletions()) {
            s.onComplete(e);
        }
    }

    private int granted(String node) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT granted FROM rate_share WHERE node_id = '" + node + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private int grantedSum() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(granted), 0) FROM rate_share")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
