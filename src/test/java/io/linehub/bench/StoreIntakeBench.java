package io.linehub.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.db.H2Housekeeping;
import io.linehub.outbox.EnqueueOutcome;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.NotificationQueue;
import io.linehub.outbox.OutboxSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The store side of file intake alone (issue 15), called by bench/store-intake.sh: {@code N} notifications of the file
 * bench's shape (a LINE notification message to a Thai number, four data fields, a Thai item name) stored through
 * {@link NotificationQueue#enqueueAll} a checkpoint at a time, as the inbox stores them, with the hub's settings for
 * the database (rows per transaction, and on embedded H2 its URL and housekeeping). Prints rows/s per 100,000-row
 * slice, timed around {@code enqueueAll} only (building the rows is not counted), and the wall-clock rate.
 * <p>Usage: {@code StoreIntakeBench JDBC_URL|h2:DIR ROWS CHECKPOINT_ROWS [USER]}; {@code BENCH_SQL} (statements separated by
 * {@code ;}) is run after the migrations, to measure a variant of the schema.
 */
public final class StoreIntakeBench {

    private static final int SLICE = 100_000;

    public static void main(String[] args) throws Exception {
        String target = args[0];
        int rows = Integer.parseInt(args[1]);
        int checkpoint = Integer.parseInt(args[2]);
        // BENCH_H2_URL_EXTRA: settings added to the embedded H2's URL (e.g. ";COMPRESS=TRUE"), to measure them
        String url = target.startsWith("h2:") ? Database.embeddedH2Url(Path.of(target.substring(3))) + System.getenv().getOrDefault("BENCH_H2_URL_EXTRA", "")
                : target;
        try (HikariDataSource db = Database.open("store-bench", url, args.length > 3 ? args[3] : null, null, 4)) {
            Database.migrate(db);
            String variant = System.getenv("BENCH_SQL"); // a variant to measure (e.g. an index dropped), run after the migrations
            if (variant != null && !variant.isBlank()) {
                try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
                    for (String sql : variant.split(";")) {
                        st.execute(sql);
                    }
                }
                System.out.println("variant: " + variant);
            }
            H2Housekeeping housekeeping = H2Housekeeping.startIfNeeded(db, url, Duration.ofMillis(200));
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), OutboxSettings.unpacked(Duration.ofHours(24), 5),
                    Integer.parseInt(System.getenv().getOrDefault("BENCH_ROWS_PER_TX", String.valueOf(NotificationQueue.rowsPerTransactionFor(url)))));
            String fileHash = hex(sha256("bench-" + System.nanoTime()));
            System.out.printf("store bench: %,d rows, %,d per enqueueAll (checkpoint), rows per transaction %s, %s%n", rows, checkpoint,
                    System.getenv().getOrDefault("BENCH_ROWS_PER_TX", "as the hub"),
                    url.startsWith("jdbc:h2:") ? "embedded H2 " + url : "PostgreSQL");
            double jvmCpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1e3;
            long storing = 0;
            long sliceStoring = 0;
            long sliceStart = System.nanoTime();
            long wallStart = sliceStart;
            for (int from = 1; from <= rows; from += checkpoint) {
                List<NewNotification> batch = new ArrayList<>(checkpoint);
                for (int i = from; i < from + checkpoint && i <= rows; i++) {
                    batch.add(row(fileHash, i));
                }
                long t0 = System.nanoTime();
                List<EnqueueOutcome> out = queue.enqueueAll(batch);
                long took = System.nanoTime() - t0;
                if (out.size() != batch.size() || out.stream().anyMatch(o -> o.result() == null || !o.result().created())) {
                    throw new IllegalStateException("a row was not stored as new");
                }
                storing += took;
                sliceStoring += took;
                int done = Math.min(rows, from + checkpoint - 1);
                if (done % SLICE == 0 || done == rows) {
                    int sliceRows = done % SLICE == 0 ? SLICE : done % SLICE;
                    long now = System.nanoTime();
                    System.out.printf("  rows %,9d-%,9d: %,8.0f rows/s in enqueueAll, %,8.0f rows/s wall  (load %s)%n", done - sliceRows + 1, done,
                            sliceRows / (sliceStoring / 1e9), sliceRows / ((now - sliceStart) / 1e9), load());
                    sliceStoring = 0;
                    sliceStart = now;
                }
            }
            double wall = (System.nanoTime() - wallStart) / 1e9;
            System.out.printf("total: %,d rows, %,.0f rows/s in enqueueAll, %,.0f rows/s wall (%.1f s); heap used now %d MB%n", rows,
                    rows / (storing / 1e9), rows / wall, wall, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            // CPU time, which a shared machine's load does not change: this JVM's since the start, and the pool's server processes
            double jvmCpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1e3 - jvmCpuBefore;
            double serverCpu = url.startsWith("jdbc:postgresql:") ? serverCpuSeconds(db) : 0;
            System.out.printf("CPU: this JVM %.1f s (%.1f µs a row)%s%n", jvmCpu, jvmCpu * 1e6 / rows, serverCpu == 0 ? ""
                    : String.format(", PostgreSQL's processes of the pool %.1f s (%.1f µs a row; WAL writer and checkpointer not counted)",
                    serverCpu, serverCpu * 1e6 / rows));
            if (housekeeping != null) {
                housekeeping.close();
            }
        }
    }

    /** One row of bench/file-intake.sh's file as the intake hands it to the outbox. */
    static NewNotification row(String fileHash, int i) {
        String phone = "+668" + (i % 10) + String.format("%07d", i % 10_000_000);
        String hash = hex(sha256(phone));
        String item = "ชุดกาแฟดริป; ชิ้นที่ " + i;
        String data = "{\"orderNumber\":\"BENCH-" + i + "\",\"shippedDate\":\"2026-11-27\",\"carrier\":\"Kerry Express\",\"itemName\":\""
                + item + "\"}";
        String lineRequest = "{\"to\":\"" + hash + "\",\"templateKey\":\"shipping_complete_th\",\"body\":{\"emphasizedItem\":{\"shippedDate\":"
                + "\"27/11/2026\"},\"items\":{\"orderNumber\":\"BENCH-" + i + "\",\"carrier\":\"Kerry Express\",\"itemName\":\"" + item + "\"},"
                + "\"buttons\":{}}}";
        return new NewNotification("shipping_complete", "default", "pnp-template", null, hash, "+66 8xxxx" + phone.substring(phone.length() - 4),
                "TH", "th", data, lineRequest, "file:" + fileHash + ":" + i, hex(sha256(data)), null, null, null,
                "auto: LINE notification message (the recipient is a phone number, TH)", "sha256:" + fileHash.substring(0, 16), null, "auto");
    }

    /** User and system CPU of the server processes behind the pool's connections (Linux /proc), in seconds. */
    private static double serverCpuSeconds(HikariDataSource db) throws Exception {
        List<java.sql.Connection> held = new ArrayList<>();
        double seconds = 0;
        try {
            for (int i = 0; i < db.getHikariPoolMXBean().getTotalConnections(); i++) {
                java.sql.Connection c = db.getConnection();
                held.add(c);
                try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    String stat = Files.readString(Path.of("/proc/" + rs.getInt(1) + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    seconds += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (100 a second)
                }
            }
        } finally {
            for (java.sql.Connection c : held) {
                c.close();
            }
        }
        return seconds;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String load() {
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return l[0] + " " + l[1] + " " + l[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
