package io.linehub.cluster;

import io.linehub.erp.ErpRequestsRouteTest;
import io.linehub.inbox.Inbox;
import io.linehub.testsupport.PostgresSchema;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hubs (two Camel contexts) on one PostgreSQL database (HUB_TEST_PG_URL, a schema of its own, dropped
 * afterwards) sharing one inbox folder: neither the ERP poller nor the inbox ever hands a row or a file to both.
 * Why PostgreSQL: the embedded H2 database is a file that only one process opens, so several hubs means a
 * database server; on H2 the same routes are tested with one hub (ErpRequestsRouteTest, FileInboxRouteTest).
 */
class TwoHubsOnPostgresTest {

    private PostgresSchema schema;
    @TempDir
    Path shared;
    TestHub a;
    TestHub b;

    @BeforeEach
    void startTwoHubs() throws Exception {
        schema = PostgresSchema.empty();
        Map<String, String> p = new HashMap<>();
        p.put("hub.db.url", schema.url());
        p.put("hub.db.user", PostgresSchema.PG_USER);
        p.put("hub.delivery.enabled", "false");
        p.put("hub.erp.enabled", "true");
        p.put("hub.erp.poll-interval-ms", "20");
        p.put("hub.erp.batch-size", "5");
        p.put("hub.inbox.poll-ms", "50");
        p.put("hub.inbox.stable-ms", "200");
        a = TestHub.start(shared, p);
        b = TestHub.start(shared, p);
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
    void erpRowsAreEachClaimedByExactlyOneHub() throws Exception {
        String[] customers = {"C-1001", "C-1002", "C-2001", "C-3001"};
        for (int i = 0; i < 300; i++) {
            ErpRequestsRouteTest.insert(a, "shipping_complete", customers[i % 4], null,
                    "{\"orderNumber\":\"PG-" + i + "\",\"shippedDate\":\"2026-11-27\"}", null);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> a.count("SELECT COUNT(*) FROM erp_notification_request WHERE status = 'ACCEPTED'") == 300);

        assertThat(a.count("SELECT MAX(claim_count) FROM erp_notification_request")).isEqualTo(1);
        assertThat(a.count("SELECT COUNT(DISTINCT notification_id) FROM erp_notification_request")).isEqualTo(300);
        assertThat(a.count("SELECT COUNT(*) FROM notification")).isEqualTo(300);
        assertThat(a.count("SELECT COUNT(DISTINCT claimed_by) FROM erp_notification_request")).as("both hubs took part").isEqualTo(2);
    }

    @Test
    void eachFileOfASharedInboxIsReadByExactlyOneHub() throws Exception {
        Inbox inbox = new Inbox(shared);
        for (int f = 0; f < 12; f++) {
            StringBuilder csv = new StringBuilder("customer_id;type;orderNumber;shippedDate\r\n");
            for (int r = 0; r < 40; r++) {
                csv.append("C-100").append(1 + r % 3).append(";shipping_complete;F").append(f).append("-").append(r).append(";2026-11-27\r\n");
            }
            inbox.drop("export-" + f + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (int f = 0; f < 12; f++) {
            assertThat(inbox.awaitReport("export-" + f + ".csv", Duration.ofSeconds(60))).hasSize(40).extracting(x -> x[1]).containsOnly("accepted");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.count("SELECT COUNT(*) FROM file_intake WHERE status = 'DONE'") == 12);
        assertThat(a.count("SELECT MAX(runs) FROM file_intake")).as("no file was read twice").isEqualTo(1);
        assertThat(a.count("SELECT COUNT(*) FROM notification")).isEqualTo(12 * 40);
        assertThat(inbox.filesIn(".done")).isEqualTo(12);
        assertThat(inbox.filesIn(".failed")).isZero();
        System.out.println("files per hub: " + a.count("SELECT COUNT(DISTINCT owner) FROM file_intake") + " distinct owners");
    }
}
