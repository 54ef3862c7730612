package io.linehub.cluster;

import io.linehub.testsupport.TestHub;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hubs on one PostgreSQL run the same schedule (every two seconds): with Quartz's clustered job store each
 * occurrence fires on one hub only (with the in-memory store each hub fired every occurrence), and when one hub stops
 * the other goes on firing — also when the hub stopped while it held the trigger for the coming occurrence (Quartz
 * leaves a trigger acquired when it is halted; ClusteredQuartz.stop gives it back first).
 */
class ClusteredSchedulesTest {

    static final String ROUTE = "schedule-payment-reminder";
    private final String schema = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void eachOccurrenceFiresOnOneHubOfTheCluster() throws Exception {
        try (Connection c = DriverManager.getConnection(ClusterRateSharesTest.PG_URL, ClusterRateSharesTest.PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        Map<String, String> p = new HashMap<>();
        p.put("hub.db.url", ClusterRateSharesTest.PG_URL + (ClusterRateSharesTest.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("hub.db.user", ClusterRateSharesTest.PG_USER);
        p.put("hub.db.pool-size", "8"); // the machine's PostgreSQL is shared by other tests
        p.put("hub.delivery.enabled", "false");
        p.put("hub.schedule.payment-reminder.enabled", "true");
        p.put("hub.schedule.payment-reminder.cron", "0/2 * * * * ?");
        TestHub a = TestHub.start(dirA, p);
        TestHub b = null;
        try {
            // hub a's Quartz instance: the only one checked in before hub b starts
            String instanceA = await().atMost(Duration.ofSeconds(20)).until(
                    () -> query("SELECT MIN(instance_name) FROM qrtz_scheduler_state"), java.util.Objects::nonNull);
            b = TestHub.start(dirB, p);
            long start = System.nanoTime();
            long firedBefore = fired(a) + fired(b);
            Thread.sleep(12_000);
            long fired = fired(a) + fired(b) - firedBefore;
            double occurrences = (System.nanoTime() - start) / 2e9;
            System.out.printf("schedule fired %d times (hub a %d, hub b %d) in %.1f occurrences%n", fired, fired(a), fired(b), occurrences);
            assertThat(fired).as("firings of both hubs in %.1f occurrences", occurrences)
                    .isBetween((long) occurrences - 1, (long) Math.ceil(occurrences) + 1);

            // one hub stops while it holds the trigger acquired for the coming occurrence (Quartz acquires it up to a
            // second ahead): the other fires every occurrence on its own, that one included
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> Long.parseLong(query(
                    "SELECT COUNT(*) FROM qrtz_fired_triggers WHERE state = 'ACQUIRED' AND instance_name = '" + instanceA + "'")) > 0);
            a.close();
            a = null;
            long onlyB = fired(b);
            long stopped = System.nanoTime();
            Thread.sleep(10_000);
            double alone = (System.nanoTime() - stopped) / 2e9;
            assertThat(fired(b) - onlyB).as("hub b alone in %.1f occurrences", alone).isBetween((long) alone - 1, (long) Math.ceil(alone) + 1);
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            try (Connection c = DriverManager.getConnection(ClusterRateSharesTest.PG_URL, ClusterRateSharesTest.PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** The first column of the first row, in this test's schema. */
    private String query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(ClusterRateSharesTest.PG_URL, ClusterRateSharesTest.PG_USER, "");
             Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (java.sql.ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long fired(TestHub hub) throws Exception {
        return hub.context().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedRoute(ROUTE).getExchangesTotal();
    }
}
