package io.linehub.erp;

import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ERP poller (routes/erp-requests.camel.yaml) in a real hub on H2: rows answered ACCEPTED or REJECTED in place. */
public class ErpRequestsRouteTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.erp.enabled", "true", "hub.erp.poll-interval-ms", "100"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    public static long insert(TestHub hub, String type, String customerId, String phone, String data, String key) throws Exception {
        try (Connection c = hub.db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO erp_notification_request (notification_type, customer_id, phone, data, idempotency_key) VALUES (?,?,?,?,?)",
                new String[]{"id"})) {
            ps.setString(1, type);
            ps.setString(2, customerId);
            ps.setString(3, phone);
            ps.setString(4, data);
            ps.setString(5, key);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String[] outcome(TestHub hub, long id) throws Exception {
        try (Connection c = hub.db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, notification_id, reject_field, reject_reason, claim_count FROM erp_notification_request WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)};
            }
        }
    }

    @Test
    void newRowsAreAcceptedWithTheNotificationIdOrRejectedWithFieldAndReason() throws Exception {
        long good = insert(hub, "shipping_complete", "C-1001", null, "{\"orderNumber\":\"ERP-1\",\"shippedDate\":\"2026-11-27\",\"itemName\":\"ชุดกาแฟดริป\"}", null);
        long byPhone = insert(hub, "shipping_complete", null, "+81 90-1234-5678", "{\"orderNumber\":\"ERP-2\",\"shippedDate\":\"2026-11-27\"}", "erp-key-2");
        long unknownCustomer = insert(hub, "shipping_complete", "C-9999", null, "{\"orderNumber\":\"ERP-3\",\"shippedDate\":\"2026-11-27\"}", null);
        long badData = insert(hub, "shipping_complete", "C-1001", null, "{\"orderNumber\":\"ERP-4\"}", null);
        long notJson = insert(hub, "shipping_complete", "C-1001", null, "orderNumber=ERP-5", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> !outcome(hub, notJson)[0].equals("NEW") && !outcome(hub, notJson)[0].equals("CLAIMED"));

        String[] g = outcome(hub, good);
        assertThat(g[0]).as(java.util.Arrays.toString(g)).isEqualTo("ACCEPTED");
        assertThat(g[0]).isEqualTo("ACCEPTED");
        assertThat(hub.notification(g[1]).at("/recipient/customerId").asText()).isEqualTo("C-1001");
        assertThat(outcome(hub, byPhone)[0]).isEqualTo("ACCEPTED");
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'erp-key-2'")).isEqualTo(1);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'erp:erp_notification_request:" + good + "'")).isEqualTo(1);
        assertThat(outcome(hub, unknownCustomer)).startsWith("REJECTED", null, "to.customerId");
        assertThat(outcome(hub, unknownCustomer)[3]).contains("no customer");
        assertThat(outcome(hub, badData)).startsWith("REJECTED", null, "data.shippedDate");
        assertThat(outcome(hub, notJson)).startsWith("REJECTED", null, "data");
        assertThat(outcome(hub, good)[4]).isEqualTo("1");
    }
}
