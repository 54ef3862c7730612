package io.linehub.erp;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** ERP claims on H2 (PostgreSQL mode): rows locked by another claimer are skipped, a dead claimer's rows come back. */
class ErpClaimTest {

    private HikariDataSource db;

    @BeforeEach
    void database() throws Exception {
        db = Database.open("erp", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", null, null, 4);
        Database.migrate(db);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < 10; i++) {
                st.executeUpdate("INSERT INTO erp_notification_request (notification_type, customer_id, data) VALUES ('shipping_complete', 'C-1001', '{}')");
            }
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<Long> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    @Test
    void rowsLockedByAnotherClaimerAreSkipped() throws Exception {
        ErpRequests b = new ErpRequests(db, "erp_notification_request", "hub-b", Duration.ofMinutes(5), Clock.systemUTC());
        try (Connection held = db.getConnection()) {
            held.setAutoCommit(false);
            List<Long> lockedByA = new ArrayList<>();
            try (PreparedStatement ps = held.prepareStatement("SELECT id FROM erp_notification_request WHERE status = 'NEW' ORDER BY id LIMIT 4 FOR UPDATE SKIP LOCKED");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lockedByA.add(rs.getLong(1));
                }
            }
            List<Long> claimedByB = ids(b.claim(10));
            assertThat(claimedByB).hasSize(6).doesNotContainAnyElementsOf(lockedByA);
            held.rollback();
        }
        assertThat(ids(b.claim(10))).hasSize(4);
        assertThat(b.claim(10)).isEmpty();
    }

    @Test
    void rowsOfAClaimerThatDiedComeBackAfterTheClaimTimeout() throws Exception {
        Instant t0 = Instant.parse("2026-11-27T02:00:00Z");
        ErpRequests dead = new ErpRequests(db, "erp_notification_request", "hub-dead", Duration.ofMinutes(5), Clock.fixed(t0, ZoneOffset.UTC));
        assertThat(dead.claim(3)).hasSize(3);
        ErpRequests soon = new ErpRequests(db, "erp_notification_request", "hub-b", Duration.ofMinutes(5), Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));
        assertThat(soon.claim(10)).hasSize(7);
        ErpRequests later = new ErpRequests(db, "erp_notification_request", "hub-c", Duration.ofMinutes(5), Clock.fixed(t0.plusSeconds(301), ZoneOffset.UTC));
        // hub-b's rows were claimed at t0+60 s and are still within the timeout; hub-dead's come back
        assertThat(later.claim(10)).hasSize(3);
    }
}
