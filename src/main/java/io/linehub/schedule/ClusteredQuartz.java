package io.linehub.schedule;

import org.apache.camel.component.quartz.QuartzConstants;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The Quartz scheduler of a hub in a cluster: Quartz's own clustered JDBC job store ({@code JobStoreTX}) on the hub's
 * PostgreSQL database (tables by Flyway, db/postgresql/V21), so that each occurrence of a schedule fires on one hub
 * only, and on another one when that hub dies. Every hub uses the same scheduler name, which is what makes them one
 * Quartz cluster; each has its own instance id (the hub's node id).
 */
public final class ClusteredQuartz {

    /** The scheduler name shared by every hub of a cluster (Quartz's SCHED_NAME column). */
    static final String SCHEDULER_NAME = "line-notification-hub";
    /** How often a Quartz instance checks in; one silent for longer than about this is taken over by the others. */
    static final long CHECKIN_INTERVAL_MS = 5_000;

    /** How long a hub's Quartz waits before it looks for due triggers again when it found none. */
    static final long IDLE_WAIT_MS = 1_000;

    private ClusteredQuartz() {
    }

    /**
     * camel-quartz finds the CamelContext of a firing by the name stored with the job, i.e. the name of the context of
     * the hub that created it, under which it registered only its own context's management name. The hubs of a
     * cluster share one context name; this registers this hub's context under it too (their management names differ
     * where several hubs share one JVM, e.g. in tests).
     */
    public static void answerTo(Scheduler scheduler, org.apache.camel.CamelContext context) throws SchedulerException {
        scheduler.getContext().put(QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + context.getName(), context);
        scheduler.getContext().put(QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + context.getManagementName(), context);
    }

    /** How long a stopping hub waits for its Quartz to give back a trigger it acquired for a coming fire time. */
    static final long RELEASE_WAIT_MS = 2_000;

    /**
     * Stops this hub's scheduler so that the others take over its schedules at once. Quartz acquires a trigger up to
     * its idle wait before the fire time and, halted while it waits for that time, leaves it acquired: the other
     * hubs could fire it only after they found this hub dead, about 12.5 s after its last check-in (a schedule every
     * two seconds lost up to six occurrences; ClusteredSchedulesTest). In standby first, Quartz gives the trigger
     * back (a change of schedule), which this waits for in Quartz's own table, at most {@link #RELEASE_WAIT_MS}; a
     * trigger due within Quartz's 70 ms of that is fired instead, as it would have been.
     */
    public static void stop(Scheduler scheduler, DataSource hubDb, String nodeId) throws SchedulerException, InterruptedException {
        if (!scheduler.isShutdown()) {
            scheduler.standby();
            long until = System.nanoTime() + RELEASE_WAIT_MS * 1_000_000L;
            while (System.nanoTime() < until && acquiredBy(hubDb, nodeId) > 0) {
                Thread.sleep(20);
            }
        }
        scheduler.shutdown(true);
    }

    /** Triggers this hub's Quartz holds acquired (not yet fired); 0 if that cannot be read (the hub is stopping anyway). */
    private static int acquiredBy(DataSource hubDb, String nodeId) {
        try (Connection c = hubDb.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM qrtz_fired_triggers"
                     + " WHERE sched_name = ? AND instance_name = ? AND state = 'ACQUIRED'")) {
            ps.setString(1, SCHEDULER_NAME);
            ps.setString(2, nodeId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    /** A scheduler (not started: camel-quartz starts it with the routes) on the hub database. */
    public static Scheduler scheduler(DataSource hubDb, String nodeId) throws SchedulerException {
        // Quartz finds its connections by a JVM-wide name: one per hub (tests run several hubs in one JVM)
        String dataSourceName = "hub-" + Integer.toHexString(System.identityHashCode(hubDb)) + "-" + nodeId.hashCode();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return hubDb.getConnection();
            }

            @Override
            public void shutdown() {
                // the hub closes its own pool
            }

            @Override
            public void initialize() {
                // nothing: the pool exists already
            }
        });
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, nodeId);
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        // a hub that found no trigger due looks again this soon (Quartz: 30 s), so it takes over a stopped hub's triggers in time
        p.setProperty("org.quartz.scheduler.idleWaitTime", String.valueOf(IDLE_WAIT_MS));
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(CHECKIN_INTERVAL_MS));
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        // Quartz keeps schedulers in a JVM-wide map by name, where a second hub in this JVM would get this one back
        SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
        return scheduler;
    }
}
