package io.linehub.bench;

import io.linehub.Hub;
import io.linehub.testsupport.TestHub;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (not a test): a CSV of N rows (default 1,000,000) dropped in the inbox of a hub running in this JVM
 * (embedded H2, delivery off) until every row is in the outbox. Prints rows/second and the heap: the highest
 * heap use sampled every 20 ms, and the most heap still live after a garbage collection. Run it with -Xmx512m
 * (docs/performance.md) to show the file is streamed; bench/file-intake.sh runs the packaged jar instead. Usage: FileIntakeBench [rows] [workDir]
 */
public final class FileIntakeBench {

    /** The non-heap pools' share of a GC's after-usage map (metaspace, code cache are reported there too). */
    private static long nonHeap(java.util.Map<String, java.lang.management.MemoryUsage> usage) {
        long n = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP && usage.containsKey(pool.getName())) {
                n += usage.get(pool.getName()).getUsed();
            }
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench-file-intake"));
        Path data = Files.createTempDirectory(work, "run-");
        Path csv = data.resolve("bench.csv.tmp");
        String[] customers = {"C-1001", "C-1002", "C-1003", "C-1004", "C-2001", "C-2002", "C-3001", "C-3002"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("\uFEFFcustomer_id;type;orderNumber;shippedDate;carrier;itemName\r\n");
            for (long i = 1; i <= rows; i++) {
                w.write(customers[(int) (i % customers.length)] + ";shipping_complete;BENCH-" + i + ";2026-11-27;Kerry Express;\"ชุดกาแฟดริป; ชิ้นที่ " + i + "\"\r\n");
            }
        }
        System.out.printf("file: %d rows, %.1f MB%n", rows, Files.size(csv) / 1e6);

        Hub hub = Hub.start(Map.of("hub.http.port", String.valueOf(TestHub.freePort()), "hub.data.dir", data.toString(),
                "hub.sandbox", "on", "hub.sandbox.port", "0", "hub.delivery.enabled", "false", "hub.demo.enabled", "false",
                "hub.inbox.poll-ms", "200", "hub.inbox.stable-ms", "500"));
        Path h2File = data.resolve("db").resolve("hub.mv.db"); // the hub reads HUB_DB_H2_HOUSEKEEPING_MS itself
        AtomicLong peakUsed = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        // the most heap still in use right after any garbage collection: what the intake really holds
        AtomicLong peakLive = new AtomicLong();
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (notification.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) notification.getUserData());
                    long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum()
                            - nonHeap(info.getGcInfo().getMemoryUsageAfterGc());
                    peakLive.accumulateAndGet(after, Math::max);
                }
            }, null, null);
        }
        try {
            long t0 = System.nanoTime();
            Files.move(csv, Files.createDirectories(data.resolve("inbox")).resolve("bench.csv"), StandardCopyOption.ATOMIC_MOVE);
            javax.sql.DataSource db = hub.bean("hubDataSource", javax.sql.DataSource.class);
            String status = null;
            long lastPrint = System.nanoTime();
            while (!"DONE".equals(status) && !"FAILED".equals(status)) {
                Thread.sleep(200);
                try (Connection c = db.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT status, last_row FROM file_intake WHERE file_name = 'bench.csv'")) {
                    if (rs.next()) {
                        status = rs.getString(1);
                        if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                            System.out.printf("  … row %d after %.0f s, H2 file %.0f MB%n", rs.getLong(2), (System.nanoTime() - t0) / 1e9,
                                    Files.size(h2File) / 1e6);
                            lastPrint = System.nanoTime();
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long queued;
            try (Connection c = db.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notification")) {
                rs.next();
                queued = rs.getLong(1);
            }
            System.out.printf("status %s: %d notifications queued in %.1f s (drop to done, incl. %d ms stable-file wait) = %.0f rows/s%n",
                    status, queued, seconds, 500, queued / seconds);
            System.out.printf("H2 file: %.0f MB (embedded database, HUB_DB_H2_HOUSEKEEPING_MS=%s)%n",
                    Files.size(h2File) / 1e6, System.getenv().getOrDefault("HUB_DB_H2_HOUSEKEEPING_MS", "200 (default)"));
            System.out.printf("heap: limit %d MB; peak live (most heap in use right after a GC) %d MB; peak used incl. garbage not yet collected (sampled every 20 ms) %d MB%n",
                    Runtime.getRuntime().maxMemory() >> 20, peakLive.get() >> 20, peakUsed.get() >> 20);
        } finally {
            sampler.interrupt();
            hub.close();
        }
    }
}
