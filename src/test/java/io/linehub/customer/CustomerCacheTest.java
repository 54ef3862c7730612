package io.linehub.customer;

import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The customer lookup cache in the intake route: a changed phone number is seen once the entry expires, not before. */
class CustomerCacheTest {

    private static final String SHIPPING = "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1003\"},"
            + "\"data\":{\"orderNumber\":\"%s\",\"shippedDate\":\"2026-11-27\"}}";

    private static String recipient(TestHub hub, String order) throws Exception {
        var r = hub.post("/api/notifications", SHIPPING.formatted(order));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return hub.notification(Json.read(r.body()).path("id").asText()).at("/recipient/phone").asText();
    }

    private static void changePhone(TestHub hub, String phone) throws Exception {
        try (Connection c = hub.db().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE customers SET phone = '" + phone + "' WHERE customer_id = 'C-1003'");
        }
    }

    @Test
    void lookupIsCachedForItsTtlThenReadAgain(@TempDir Path dataDir) throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.customer.cache-ttl-seconds", "1"))) {
            assertThat(recipient(hub, "C-1")).endsWith("0199");
            changePhone(hub, "089 765 4321");
            assertThat(recipient(hub, "C-2")).as("within the TTL: the cached number").endsWith("0199");
            Thread.sleep(1300);
            assertThat(recipient(hub, "C-3")).as("after the TTL: read again").endsWith("4321");
        }
    }

    @Test
    void ttlZeroReadsTheDatabaseEveryTime(@TempDir Path dataDir) throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.customer.cache-ttl-seconds", "0"))) {
            assertThat(recipient(hub, "D-1")).endsWith("0199");
            changePhone(hub, "089 765 4321");
            assertThat(recipient(hub, "D-2")).endsWith("4321");
        }
    }
}
