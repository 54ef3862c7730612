package io.linehub.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * Delivery benchmark steps, called by bench/delivery.sh: {@code prepare URL kind N} migrates the hub's schema
 * and queues N notifications (lon or push); {@code report URL LABEL FROM TO} prints the send rate of the
 * attempts FROM (inclusive) to TO (exclusive) in the order they started, from the outbox's own timestamps.
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
                report(db, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            }
        }
    }

    private static void prepare(HikariDataSource db, String kind, int n) throws Exception {
        boolean lon = kind.equals("lon");
        io.linehub.testsupport.HubProcesses.queue(db, lon ? n : 0, lon ? 0 : n);
    }

    /**
     * Rate over the middle 80 % of the attempts {@code from} to {@code to} in the order they started (ramp-up and
     * tail excluded), from the attempts' own timestamps, and the rate 5 s at a time.
     */
    private static void report(HikariDataSource db, String label, int from, int to) throws Exception {
        System.out.println(label + ":");
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT started_at, http_status FROM notification_attempt ORDER BY started_at")) {
            java.util.List<OffsetDateTime> all = new java.util.ArrayList<>();
            int tooMany = 0;
            int i = 0;
            while (rs.next()) {
                if (i >= from && i < to) {
                    all.add(rs.getObject(1, OffsetDateTime.class));
                    if (rs.getInt(2) == 429) {
                        tooMany++;
                    }
                }
                i++;
            }
            System.out.printf("  attempts %d, 429 answers %d%n", all.size(), tooMany);
            java.util.List<OffsetDateTime> t = all;
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
