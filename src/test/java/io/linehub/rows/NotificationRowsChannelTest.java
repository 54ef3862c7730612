package io.linehub.rows;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV columns channel (the LINE channel) and via (the delivery kind) become the API's fields, not business data. */
class NotificationRowsChannelTest {

    @Test
    void csvChannelAndViaColumnsAreTheApisFields() throws Exception {
        String csv = "type,customer_id,channel,via,orderNumber,shippedDate\r\n"
                + "shipping_complete,C-1001,th-main,template,TH-1,2026-11-27\r\n"
                + "shipping_complete,C-1002,,,TH-2,2026-11-27\r\n";
        try (NotificationRows rows = NotificationRows.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "drop.csv", 0)) {
            NotificationRow first = rows.next();
            assertThat(first.request().path("channel").asText()).isEqualTo("th-main");
            assertThat(first.request().path("via").asText()).isEqualTo("template");
            assertThat(first.request().path("data").has("channel")).isFalse();
            assertThat(first.request().path("data").has("via")).isFalse();
            NotificationRow second = rows.next();
            assertThat(second.request().has("channel")).as("empty: the routing rule chooses").isFalse();
            assertThat(second.request().has("via")).isFalse();
        }
    }

    @Test
    void ndjsonRowsKeepChannelAndVia() throws Exception {
        String ndjson = "{\"type\":\"shipping_complete\",\"channel\":\"tw-main\",\"via\":\"push\",\"to\":{\"customerId\":\"C-1\"},\"data\":{}}\n";
        try (NotificationRows rows = NotificationRows.open(new ByteArrayInputStream(ndjson.getBytes(StandardCharsets.UTF_8)), "drop.ndjson", 0)) {
            NotificationRow row = rows.next();
            assertThat(row.request().path("channel").asText()).isEqualTo("tw-main");
            assertThat(row.request().path("via").asText()).isEqualTo("push");
        }
    }
}
