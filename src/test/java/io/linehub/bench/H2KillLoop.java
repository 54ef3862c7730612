package io.linehub.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.db.H2Housekeeping;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.NotificationQueue;
import io.linehub.outbox.OutboxSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decision 0009's experiment, repeatable: does embedded H2 (the hub's URL, WRITE_DELAY=0, its housekeeping) survive
 * {@code kill -9} while {@link NotificationQueue#enqueueAll} stores 500-row checkpoints in transactions of
 * {@code ROWS_PER_TX} rows? A child JVM stores until killed at a random moment; then the database is opened again and
 * checked: every notification has its history row (no transaction half there), every row can be locked and
 * updated (none left locked by a dead transaction), and storing goes on. Prints one line per kill.
 * <p>Usage: {@code H2KillLoop DIR ROWS_PER_TX KILLS} (the child: {@code H2KillLoop child DIR ROWS_PER_TX})
 */
public final class H2KillLoop {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Path dir = Path.of(args[0]);
        int rowsPerTx = Integer.parseInt(args[1]);
        int kills = Integer.parseInt(args[2]);
        int damaged = 0;
        for (int k = 1; k <= kills; k++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), H2KillLoop.class.getName(), "child", dir.toString(), String.valueOf(rowsPerTx))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(2500 + ThreadLocalRandom.current().nextInt(2500));
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
            String verdict = check(dir);
            damaged += verdict.startsWith("ok") ? 0 : 1;
            System.out.printf("kill %d of %d (%d rows per transaction): %s%n", k, kills, rowsPerTx, verdict);
        }
        System.out.printf("damaged after %d of %d kills%n", damaged, kills);
    }

    private static String check(Path dir) {
        String url = Database.embeddedH2Url(dir) + ";LOCK_TIMEOUT=2000";
        try (HikariDataSource db = Database.open("kill-check", url, null, null, 2); Connection c = db.getConnection();
             Statement st = c.createStatement()) {
            long n;
            long orphans;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(*) - COUNT(h.notification_id) FROM notification n"
                    + " LEFT JOIN notification_status_history h ON h.notification_id = n.id")) {
                rs.next();
                n = rs.getLong(1);
                orphans = rs.getLong(2);
            }
            long history;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notification_status_history")) {
                rs.next();
                history = rs.getLong(1);
            }
            c.setAutoCommit(false);
            int updated = st.executeUpdate("UPDATE notification SET attempts = attempts");
            c.rollback();
            if (orphans > 0 || history != n || updated != n) {
                return "DAMAGED: " + n + " notifications, " + history + " history rows, " + orphans + " without history, " + updated + " updatable";
            }
            return "ok, " + n + " notifications";
        } catch (Exception e) {
            return "DAMAGED: " + e.getClass().getSimpleName() + " " + e.getMessage().split("\n")[0];
        }
    }

    private static void child(Path dir, int rowsPerTx) throws Exception {
        String url = Database.embeddedH2Url(dir);
        try (HikariDataSource db = Database.open("kill-child", url, null, null, 2)) {
            Database.migrate(db);
            H2Housekeeping.startIfNeeded(db, url, Duration.ofMillis(200));
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofHours(24), 5), rowsPerTx);
            String run = String.format("%064x", System.nanoTime());
            for (int from = 0; ; from += 500) {
                List<NewNotification> batch = new ArrayList<>(500);
                for (int i = from; i < from + 500; i++) {
                    batch.add(StoreIntakeBench.row(run, i));
                }
                queue.enqueueAll(batch);
            }
        }
    }
}
