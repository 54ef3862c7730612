package io.linehub.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.phone.PhoneNumbers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Delivery benchmark steps, called by bench/delivery.sh: {@code prepare URL kind N} migrates the hub's schema
 * and queues N notifications (lon or push); {@code report URL} prints the sustained send rate from the
 * outbox's own timestamps.
 */
public final class Bench {

    static String userId(int i) {
        return "U" + String.format("%032x", i + 1);
    }

    static String hash(int i) {
        return PhoneNumbers.hash("+668" + String.format("%08d", i));
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource db = Database.open("bench", args[1], "postgres", null, 2)) {
            if (args[0].equals("prepare")) {
                Database.migrate(db);
                prepare(db, args[2], Integer.parseInt(args[3]));
            } else {
                report(db);
            }
        }
    }

    private static void prepare(HikariDataSource db, String kind, int n) throws Exception {
        boolean lon = kind.equals("lon");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO notification (id, type, channel, line_operation,"
                + " status, recipient_hash, recipient_user_id, data, line_request, delivery_tag, retry_key, attempts, next_attempt_at,"
                + " created_at, updated_at, expires_at, channel_decision) VALUES (?,?,?,?,'QUEUED',?,?,'{}',?,?,?,0,?,?,?,?,'bench')")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                ps.setString(1, id);
                ps.setString(2, "shipping_complete");
                ps.setString(3, "default");
                ps.setString(4, lon ? "pnp-template" : "push");
                ps.setString(5, lon ? hash(i) : null);
                ps.setString(6, lon ? null : userId(i));
                ps.setString(7, lon ? "{\"to\":\"" + hash(i) + "\",\"templateKey\":\"shipment_completed_ja\",\"body\":{\"items\":"
                        + "[{\"itemKey\":\"number_001_ja\",\"content\":\"" + i + "\"}]}}"
                        : "{\"to\":\"" + userId(i) + "\",\"messages\":[{\"type\":\"text\",\"text\":\"Your parcel has shipped\"}]}");
                ps.setString(8, lon ? id : null);
                ps.setString(9, lon ? null : UUID.randomUUID().toString());
                ps.setObject(10, now);
                ps.setObject(11, now);
                ps.setObject(12, now);
                ps.setObject(13, now.plusHours(23));
                ps.addBatch();
                if (i % 2000 == 1999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Rate over the middle 80 % of sends (start-up and tail excluded), from the attempts' own timestamps. */
    private static void report(HikariDataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*), SUM(CASE WHEN http_status = 429 THEN 1 ELSE 0 END) FROM notification_attempt")) {
            rs.next();
            System.out.printf("attempts %d, 429 answers %d%n", rs.getLong(1), rs.getLong(2));
        }
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT started_at FROM notification_attempt ORDER BY started_at")) {
            java.util.List<OffsetDateTime> t = new java.util.ArrayList<>();
            while (rs.next()) {
                t.add(rs.getObject(1, OffsetDateTime.class));
            }
            int from = t.size() / 10;
            int to = t.size() * 9 / 10;
            double seconds = java.time.Duration.between(t.get(from), t.get(to)).toNanos() / 1e9;
            System.out.printf("sustained send rate: %.0f/s (%d sends between the 10th and 90th percentile in %.1f s)%n",
                    (to - from) / seconds, to - from, seconds);
        }
    }
}
