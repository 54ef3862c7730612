package io.linehub.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * Delivery benchmark steps, called by bench/delivery.sh: {@code prepare URL kind N} migrates the hub's schema
 * and queues N notifications (lon or push); {@code report URL LABEL [FROM TO]} prints the send rate of the
 * attempts started between two moments (epoch ms; all when absent) from the outbox's own timestamps.
 */
public final class Bench {

    static String userId(int i) {
        return io.linehub.testsupport.HubProcesses.userId(i);
    }

    static String hash(int i) {
        return io.linehub.testsupport.HubProcesses.hash(i);
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource db = Database.open("bench", args[1], "postgres", null, 2)) {
            if (args[0].equals("prepare")) {
                Database.migrate(db);
                prepare(db, args[2], Integer.parseInt(args[3]));
            } else {
                report(db, args[2], args.length > 4 ? Long.parseLong(args[3]) : 0, args.length > 4 ? Long.parseLong(args[4]) : Long.MAX_VALUE);
            }
        }
    }

    private static void prepare(HikariDataSource db, String kind, int n) throws Exception {
        boolean lon = kind.equals("lon");
        io.linehub.testsupport.HubProcesses.queue(db, lon ? n : 0, lon ? 0 : n);
    }

    /**
     * Rate over the middle 80 % of the sends started between two moments (ramp-up and tail excluded), from the
     * attempts' own timestamps, and the rate 5 s at a time.
     */
    private static void report(HikariDataSource db, String label, long fromMillis, long toMillis) throws Exception {
        OffsetDateTime from = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(fromMillis), java.time.ZoneOffset.UTC);
        OffsetDateTime to = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(Math.min(toMillis, 32503680000000L)), java.time.ZoneOffset.UTC);
        System.out.println(label + ":");
        try (Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), SUM(CASE WHEN http_status = 429 THEN 1 ELSE 0 END) FROM notification_attempt WHERE started_at >= ? AND started_at < ?")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.printf("  attempts %d, 429 answers %d%n", rs.getLong(1), rs.getLong(2));
            }
        }
        try (Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT started_at FROM notification_attempt WHERE started_at >= ? AND started_at < ? ORDER BY started_at")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ResultSet rs = ps.executeQuery();
            java.util.List<OffsetDateTime> t = new java.util.ArrayList<>();
            while (rs.next()) {
                t.add(rs.getObject(1, OffsetDateTime.class));
            }
            int first10 = t.size() / 10;
            int last10 = t.size() * 9 / 10;
            double seconds = java.time.Duration.between(t.get(first10), t.get(last10)).toNanos() / 1e9;
            System.out.printf("  send rate: %.0f/s (%d sends between the 10th and 90th percentile in %.1f s)%n",
                    (last10 - first10) / seconds, last10 - first10, seconds);
            // the rate over time, 5 s at a time from the first send (the last slice may be partial)
            StringBuilder slices = new StringBuilder("  sends per second, 5 s at a time:");
            OffsetDateTime first = t.get(0);
            int[] counts = new int[(int) (java.time.Duration.between(first, t.get(t.size() - 1)).toSeconds() / 5) + 1];
            for (OffsetDateTime at : t) {
                counts[(int) (java.time.Duration.between(first, at).toSeconds() / 5)]++;
            }
            for (int count : counts) {
                slices.append(' ').append(count / 5);
            }
            System.out.println(slices);
        }
    }
}
