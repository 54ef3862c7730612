package io.linehub.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.EditedRoutes;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Several LINE channels on one hub (channels file + the environment's default, all served by the sandbox): a request
 * that names no channel goes to the channel of the recipient's country, else default (routes/channel-routing.camel.yaml);
 * a named channel is kept, an unknown one is a 400 on channel; {@code via} is the delivery kind in the API, batch items,
 * and ERP rows; GET shows both. A hub started on an edited copy of the routing route routes as the edit says.
 */
class ChannelRoutingTest {

    static final String CHANNELS = """
            channels:
              - name: th-main
                country: TH
                accessToken: th-token-0001
                channelSecret: th-secret-0001
                ratePerSecond: 500
                templateKeys:
                  shipping_complete:
                    templateKey: shipment_done_th
                    items: {shippedDate: date_th, orderNumber: number_th}
              - name: tw-main
                country: TW
                accessToken: tw-token-0001
                channelSecret: tw-secret-0001
            """;
    static final String DATA = "\"data\":{\"orderNumber\":\"R-1\",\"shippedDate\":\"2026-11-27\"}";
    /** C-2002: a Japanese customer who follows the account (LINE user ID known). */
    static final String REMINDER = "{\"type\":\"payment_reminder\",\"via\":\"push\",\"to\":{\"customerId\":\"C-2002\"},"
            + "\"data\":{\"invoiceNumber\":\"R-1\",\"amount\":{\"amount\":10,\"currency\":\"THB\"},\"dueDate\":\"2026-12-01\"}}";

    /** A channel an edited rule still names after it left the channels file. */
    static final String RETIRED = "tw-retired";

    @TempDir
    static Path dir;
    static TestHub shipped;
    static TestHub edited;

    static Map<String, String> settings(Path channels) {
        return Map.of("hub.sandbox", "on", "hub.channels.file", channels.toString(), "hub.demo.enabled", "true",
                "hub.erp.enabled", "true", "hub.erp.poll-interval-ms", "100");
    }

    @BeforeAll
    static void start() throws Exception {
        Path channels = dir.resolve("channels.yaml");
        Files.writeString(channels, CHANNELS);
        Path routes = EditedRoutes.copyShipped(dir.resolve("routes"));
        // the edit an integration engineer would make: payment reminders go through the TW account, whatever the country
        EditedRoutes.addRoutingRules(routes, """
                              - simple: "${exchangeProperty.HubLineChannel} == null && ${exchangeProperty.HubNotificationType} == 'payment_reminder'"
                                steps:
                                  - bean:
                                      ref: channelRouting
                                      method: "use(${exchange}, 'tw-main')"
                              - simple: "${exchangeProperty.HubLineChannel} == null && ${exchangeProperty.HubRecipientCountry} == 'TW'"
                                steps:
                                  - bean:
                                      ref: channelRouting
                                      method: "use(${exchange}, '%s')"
                """.formatted(RETIRED));
        shipped = TestHub.start(Files.createDirectories(dir.resolve("shipped")), settings(channels));
        Map<String, String> e = new java.util.HashMap<>(settings(channels));
        e.put("camel.main.routes-include-pattern", EditedRoutes.includePattern(routes));
        e.put("hub.demo.enabled", "false");
        edited = TestHub.start(Files.createDirectories(dir.resolve("edited")), e);
    }

    @AfterAll
    static void stop() throws Exception {
        if (edited != null) {
            edited.close();
        }
        if (shipped != null) {
            shipped.close();
        }
    }

    private static JsonNode accepted(TestHub hub, String body) throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return hub.notification(Json.read(r.body()).path("id").asText());
    }

    @Test
    void withoutAChannelTheRecipientsCountryPicksItElseDefault() throws Exception {
        JsonNode thai = accepted(shipped, "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"081-234-5678\"}," + DATA + "}");
        assertThat(thai.path("channel").asText()).isEqualTo("th-main");
        assertThat(thai.path("via").asText()).isEqualTo("auto");
        assertThat(thai.path("lineOperation").asText()).isEqualTo("pnp-template");
        JsonNode japanese = accepted(shipped, "{\"type\":\"shipping_complete\",\"via\":\"template\",\"to\":{\"phone\":\"+81 90-1234-5678\"}," + DATA + "}");
        assertThat(japanese.path("channel").asText()).as("no JP channel in the file: the default (JP) one").isEqualTo("default");
        assertThat(japanese.path("via").asText()).isEqualTo("template");
        // a LINE user ID has no country: default
        JsonNode push = accepted(shipped, "{\"type\":\"shipping_complete\",\"via\":\"push\",\"to\":{\"userId\":\"U2002f0e1d2c3b4a5968778695a4b3c2d\"}," + DATA + "}");
        assertThat(push.path("channel").asText()).isEqualTo("default");

        // the Thai LON went to the sandbox as th-main's (its token, its own template key)
        String id = thai.path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of("SENT", "DELIVERED").anyMatch(shipped.status(id)::equals));
        assertThat(shipped.sandbox().sent()).anySatisfy(m -> {
            assertThat(m.channel()).isEqualTo("th-main");
            assertThat(m.body()).contains("shipment_done_th", "number_th");
        });
    }

    @Test
    void aNamedChannelIsKeptAndAnUnknownOneIsA400OnChannel() throws Exception {
        JsonNode tw = accepted(shipped, "{\"type\":\"shipping_complete\",\"channel\":\"tw-main\",\"via\":\"push\","
                + "\"to\":{\"customerId\":\"C-2002\"}," + DATA + "}");
        assertThat(tw.path("channel").asText()).isEqualTo("tw-main");
        assertThat(tw.path("via").asText()).isEqualTo("push");
        assertThat(tw.path("lineOperation").asText()).isEqualTo("push");

        HttpResponse<String> unknown = shipped.post("/api/notifications", "{\"type\":\"shipping_complete\",\"channel\":\"jp-brand\","
                + "\"to\":{\"customerId\":\"C-1001\"}," + DATA + "}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.read(unknown.body()).path("field").asText()).isEqualTo("channel");
        assertThat(Json.read(unknown.body()).path("reason").asText()).contains("not a configured LINE channel", "th-main", "tw-main", "default");
        // the old meaning of channel gets a pointer to via
        HttpResponse<String> old = shipped.post("/api/notifications", "{\"type\":\"shipping_complete\",\"channel\":\"push\","
                + "\"to\":{\"customerId\":\"C-1001\"}," + DATA + "}");
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(Json.read(old.body()).path("reason").asText()).contains("\"via\"");
    }

    @Test
    void batchItemsAndErpRowsCarryChannelAndVia() throws Exception {
        HttpResponse<String> batch = shipped.post("/api/notifications/batch", "{\"type\":\"shipping_complete\",\"channel\":\"tw-main\",\"via\":\"push\","
                + "\"to\":{\"customerId\":\"C-2002\"}," + DATA + "}\n{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"0812345678\"}," + DATA + "}\n",
                "Content-Type", "application/x-ndjson");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        JsonNode list = Json.read(batch.body());
        JsonNode first = shipped.notification(list.get(0).path("id").asText());
        assertThat(first.path("channel").asText()).isEqualTo("tw-main");
        assertThat(first.path("via").asText()).isEqualTo("push");
        JsonNode second = shipped.notification(list.get(1).path("id").asText());
        assertThat(second.path("channel").asText()).isEqualTo("th-main");
        assertThat(second.path("via").asText()).isEqualTo("auto");

        long id;
        try (Connection c = shipped.db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO erp_notification_request (notification_type, customer_id, data, channel, via) VALUES (?,?,?,?,?)", new String[]{"id"})) {
            ps.setString(1, "shipping_complete");
            ps.setString(2, "C-3002");
            ps.setString(3, "{\"orderNumber\":\"E-1\",\"shippedDate\":\"2026-11-27\"}");
            ps.setString(4, "th-main");
            ps.setString(5, "push");
            ps.executeUpdate();
            try (var keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> shipped.count("SELECT COUNT(*) FROM erp_notification_request WHERE id = " + id
                + " AND status <> 'NEW' AND status <> 'CLAIMED'") == 1);
        String notification = erpNotificationId(id);
        JsonNode n = shipped.notification(notification);
        assertThat(n.path("channel").asText()).isEqualTo("th-main");
        assertThat(n.path("via").asText()).isEqualTo("push");
    }

    private static String erpNotificationId(long id) throws Exception {
        try (Connection c = shipped.db().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT status, notification_id, reject_reason FROM erp_notification_request WHERE id = " + id)) {
            rs.next();
            assertThat(rs.getString(1)).as(rs.getString(3)).isEqualTo("ACCEPTED");
            return rs.getString(2);
        }
    }

    @Test
    void theDemosThaiCustomerGoesThroughTheThaiChannel() throws Exception {
        // the demo notification (C-1001, a Thai number, no channel named) goes out as a LON of th-main, with th-main's own key
        await().atMost(Duration.ofSeconds(30)).until(() -> shipped.count("SELECT COUNT(*) FROM notification WHERE customer_id = 'C-1001'"
                + " AND channel = 'th-main' AND type = 'shipping_complete' AND via = 'auto' AND status IN ('SENT', 'DELIVERED')") >= 1);
        // the demo's followers are friends of their country's channel: the Taiwanese one of tw-main
        assertThat(shipped.sandbox().followers("tw-main")).contains("U3002a1b2c3d4e5f60718293a4b5c6d7e");
        assertThat(shipped.sandbox().followers("default")).contains("U2002f0e1d2c3b4a5968778695a4b3c2d");
    }

    @Test
    void eachChannelsRatePerSecondIsItsThrottleBudgetPerEndpoint() {
        io.linehub.outbox.RateBudgets budgets = shipped.bean("rateBudgets", io.linehub.outbox.RateBudgets.class);
        assertThat(budgets.budget("th-main", "push")).isEqualTo(500);
        assertThat(budgets.budget("th-main", "pnp-template")).isEqualTo(500);
        assertThat(budgets.budget("tw-main", "push")).as("not set: LINE's 2000").isEqualTo(2000);
        assertThat(budgets.budget("default", "push")).as("the environment's channel: HUB_DELIVERY_RATE_PER_SECOND").isEqualTo(2000);
    }

    @Test
    void anEditedRoutingRuleRoutesByType() throws Exception {
        JsonNode reminder = accepted(edited, REMINDER);
        assertThat(reminder.path("channel").asText()).isEqualTo("tw-main");
        JsonNode shipping = accepted(edited, "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"081-234-5678\"}," + DATA + "}");
        assertThat(shipping.path("channel").asText()).isEqualTo("th-main");
        // the shipped rule: by country (JP: no JP channel in the file, so default)
        assertThat(accepted(shipped, REMINDER).path("channel").asText()).isEqualTo("default");
    }

    @Test
    void aRuleNamingAChannelThatIsNotConfiguredRefusesOnChannelNotA500() throws Exception {
        // the edited rule sends Taiwanese numbers to a channel that is no longer in the channels file
        HttpResponse<String> r = edited.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+886 912 345 678\"}," + DATA + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Json.read(r.body());
        assertThat(error.path("field").asText()).isEqualTo("channel");
        assertThat(error.path("reason").asText()).contains("routing rule", RETIRED, "not configured", "th-main", "tw-main", "default");
        // naming a channel in the request still works for the same recipient
        assertThat(accepted(edited, "{\"type\":\"shipping_complete\",\"channel\":\"default\",\"to\":{\"phone\":\"+886 912 345 678\"}," + DATA + "}")
                .path("channel").asText()).isEqualTo("default");

        // a file row: a report line refusing it on channel; the good row next to it goes
        io.linehub.inbox.Inbox inbox = new io.linehub.inbox.Inbox(dir.resolve("edited"));
        inbox.drop("retired-channel.csv", ("phone,type,orderNumber,shippedDate\r\n+886 912 345 678,shipping_complete,R-2,2026-11-27\r\n"
                + "081-234-5678,shipping_complete,R-3,2026-11-27\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.List<String[]> report = inbox.awaitReport("retired-channel.csv", Duration.ofSeconds(30));
        assertThat(report).hasSize(2);
        assertThat(report.get(0)[1]).isEqualTo("rejected");
        assertThat(report.get(0)[3]).isEqualTo("channel");
        assertThat(report.get(0)[4]).contains(RETIRED, "not configured");
        assertThat(report.get(1)[1]).as(String.join(",", report.get(1))).isEqualTo("accepted");
        assertThat(edited.notification(report.get(1)[2]).path("channel").asText()).isEqualTo("th-main");
    }

    @Test
    void aBrokenChannelsFileStopsTheStartNamingEntryFieldAndReason(@TempDir Path data) throws Exception {
        Path broken = data.resolve("channels.yaml");
        Files.writeString(broken, CHANNELS.replace("    country: TW\n", "    country: US\n"));
        assertThatThrownBy(() -> TestHub.start(data, Map.of("hub.sandbox", "on", "hub.channels.file", broken.toString())))
                .hasStackTraceContaining("entry 2 (tw-main): country: must be one of [JP, TH, TW]");
        Files.writeString(broken, CHANNELS.replace("tw-token-0001", "${HUB_TEST_UNSET_TOKEN_VARIABLE}"));
        assertThatThrownBy(() -> TestHub.start(data, Map.of("hub.sandbox", "on", "hub.channels.file", broken.toString())))
                .hasStackTraceContaining("entry 2 (tw-main): accessToken: refers to the environment variable HUB_TEST_UNSET_TOKEN_VARIABLE, which is not set");
    }
}
