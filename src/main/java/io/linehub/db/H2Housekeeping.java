package io.linehub.db;

import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Store housekeeping for the embedded H2 database, which the hub opens with {@code WRITE_DELAY=0}.
 *
 * <p>With {@code WRITE_DELAY=0} H2 (2.5.252) writes every commit to its file at once — what keeps a killed hub's
 * accepted notifications — but it then starts no background writer thread, and that thread is also what runs the
 * store's housekeeping: rewriting the sparse chunks that every commit leaves behind and reusing their space. Without
 * it the file grew by about 2.7 GB per 100,000 notifications taken in, for good (docs/performance.md, "File
 * intake"). This runs the same housekeeping ({@code FileStore.doHousekeeping}, the method H2's own writer thread calls) on a
 * schedule of our own. The method is not public, hence the reflection; {@code H2HousekeepingTest} fails if an H2
 * upgrade moves it or stops it from keeping the file small.
 */
public final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

    private final DataSource dataSource;
    private final ScheduledExecutorService scheduler;
    private final Method doHousekeeping;
    private volatile boolean failed;
    private long lastSync = System.nanoTime();
    private static final long SYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private H2Housekeeping(DataSource dataSource, Duration period) {
        this.dataSource = dataSource;
        this.doHousekeeping = housekeepingMethod();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::runSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts housekeeping every {@code period} when {@code url} is an embedded H2 file database opened with
     * {@code WRITE_DELAY=0}; returns null otherwise (H2's own writer thread does it, or the database is not H2).
     */
    public static H2Housekeeping startIfNeeded(DataSource dataSource, String url, Duration period) {
        if (!needed(url)) {
            return null;
        }
        return new H2Housekeeping(dataSource, period);
    }

    static boolean needed(String url) {
        String u = url.toUpperCase(java.util.Locale.ROOT);
        return u.startsWith("JDBC:H2:FILE:") && u.contains(";WRITE_DELAY=0") && !u.contains("AUTO_SERVER=TRUE");
    }

    static Method housekeepingMethod() {
        try {
            Method m = FileStore.class.getDeclaredMethod("doHousekeeping", MVStore.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this H2 version has no FileStore.doHousekeeping(MVStore): "
                    + "the embedded database's file would grow without bound with WRITE_DELAY=0", e);
        }
    }

    private void runSafely() {
        if (failed) {
            return;
        }
        try {
            runOnce();
        } catch (Exception e) {
            // only the exception type: H2's messages can quote row values
            LOG.warn("embedded H2 housekeeping failed ({}); trying again later", e.getClass().getName());
        }
    }

    /** One round of H2's store housekeeping (rewrites sparse chunks, moves chunks to shrink the file). */
    void runOnce() throws SQLException, InterruptedException {
        MVStore store = embeddedStore(dataSource);
        if (store == null || store.isClosed() || store.getFileStore() == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastSync >= SYNC_INTERVAL_NANOS) {
            // to disk at least every second: chunks H2 may overwrite (RETENTION_TIME, 5 s) were written out long before
            store.sync();
            lastSync = now;
        }
        try {
            doHousekeeping.invoke(store.getFileStore(), store);
        } catch (IllegalAccessException e) {
            failed = true;
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** The store of the embedded database behind {@code dataSource}; null for a connection to an H2 server. */
    private static MVStore embeddedStore(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Session session = c.unwrap(JdbcConnection.class).getSession();
            return session instanceof SessionLocal local ? local.getDatabase().getStore().getMvStore() : null;
        }
    }

    /** The embedded store's file size in bytes, for tests and benchmarks. */
    static long fileSize(DataSource dataSource) throws SQLException {
        return embeddedStore(dataSource).getFileStore().size();
    }

    /** How much of the embedded store's file is in use, in per cent, for tests. */
    static int fillRate(DataSource dataSource) throws SQLException {
        return embeddedStore(dataSource).getFileStore().getFillRate();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
