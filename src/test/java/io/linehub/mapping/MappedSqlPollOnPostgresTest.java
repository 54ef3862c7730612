package io.linehub.mapping;

import io.linehub.testsupport.PostgresSchema;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route template mapped-sql-poll on PostgreSQL (HUB_TEST_PG_URL, a schema of its own, dropped afterwards) with a
 * table of the ERP's own shape (its own column names, a {@code notified} flag, no status or claim columns) and two
 * hubs polling it: every row is taken by exactly one hub, once.
 */
class MappedSqlPollOnPostgresTest {

    static final String PG_USER = PostgresSchema.PG_USER;
    static final int ROWS = 200;

    private PostgresSchema schema;
    @TempDir
    Path dir;
    TestHub a;
    TestHub b;

    static final String INSTANCE = """
            - templatedRoute:
                routeTemplateRef: mapped-sql-poll
                routeId: erp-orders
                parameters:
                  - {name: name, value: erp-orders}
                  - {name: enabled, value: "false"}
                  - {name: pollIntervalMs, value: "20"}
                  - name: query
                    value: "SELECT order_no, tel, ship_date, carrier, item FROM orders_export WHERE notified = FALSE ORDER BY order_no LIMIT 5 FOR UPDATE SKIP LOCKED"
                  - name: acceptedStatement
                    value: "UPDATE orders_export SET notified = TRUE, notification_id = :#notificationId, notified_by = :#hubNode, times_notified = times_notified + 1 WHERE order_no = :#order_no"
                  - name: rejectedStatement
                    value: "UPDATE orders_export SET notified = TRUE, notify_error = :#rejectField || ': ' || :#rejectReason, notified_by = :#hubNode, times_notified = times_notified + 1 WHERE order_no = :#order_no"
                  - {name: type, value: shipping_complete}
                  - {name: idColumn, value: order_no}
                  - {name: mapping, value: "phone=tel, orderNumber=order_no, shippedDate=ship_date, carrier=carrier, itemName=item"}
            """;

    @BeforeEach
    void startTwoHubs() throws Exception {
        schema = PostgresSchema.empty();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("erp-orders.camel.yaml"), INSTANCE);
        Map<String, String> p = new HashMap<>();
        p.put("hub.db.url", url());
        p.put("hub.db.user", PG_USER);
        p.put("hub.delivery.enabled", "false");
        p.put("hub.inbox.enabled", "false");
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + routes + "/*.camel.yaml");
        a = TestHub.start(dir.resolve("a"), p);
        b = TestHub.start(dir.resolve("b"), p);
    }

    private String url() {
        return schema.url();
    }

    @AfterEach
    void stopAndDropSchema() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void twoHubsPollingOneErpTableTakeEveryRowExactlyOnce() throws Exception {
        try (Connection c = DriverManager.getConnection(url(), PG_USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders_export (order_no VARCHAR(20) PRIMARY KEY, tel VARCHAR(32), ship_date DATE, carrier VARCHAR(40),"
                    + " item VARCHAR(100), notified BOOLEAN NOT NULL DEFAULT FALSE, notification_id VARCHAR(40), notify_error VARCHAR(2100),"
                    + " notified_by VARCHAR(100), times_notified INT NOT NULL DEFAULT 0)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders_export (order_no, tel, ship_date, carrier, item) VALUES (?,?,?,?,?)")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setString(1, String.format("SO-%05d", i));
                    ps.setString(2, "+81 90-" + (1000 + i % 9000) + "-5678");
                    ps.setObject(3, i % 50 == 7 ? null : java.time.LocalDate.of(2026, 11, 27)); // 4 rows without a date
                    ps.setString(4, "ヤマト運輸");
                    ps.setString(5, "お歳暮ギフト " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        a.context().getRouteController().startRoute("erp-orders");
        b.context().getRouteController().startRoute("erp-orders");

        await().atMost(Duration.ofSeconds(90)).until(() -> a.count("SELECT COUNT(*) FROM orders_export WHERE notified") == ROWS);
        assertThat(a.count("SELECT MAX(times_notified) FROM orders_export")).as("no row taken twice").isEqualTo(1);
        assertThat(a.count("SELECT COUNT(*) FROM orders_export WHERE notify_error LIKE 'data.shippedDate:%'")).isEqualTo(4);
        assertThat(a.count("SELECT COUNT(DISTINCT notification_id) FROM orders_export")).isEqualTo(ROWS - 4);
        assertThat(a.count("SELECT COUNT(*) FROM notification")).as("one notification per accepted row").isEqualTo(ROWS - 4);
        assertThat(a.count("SELECT COUNT(*) FROM notification WHERE idempotency_key LIKE 'sql:erp-orders:SO-%'")).isEqualTo(ROWS - 4);
        assertThat(a.count("SELECT COUNT(DISTINCT notified_by) FROM orders_export")).as("both hubs took part").isEqualTo(2);
    }
}
