package io.linehub.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;
import io.linehub.testsupport.EditedRoutes;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file's rows go through intake a chunk at a time (direct:intake-chunk), asking the deciding routes once per
 * distinct facts; an API request goes through direct:intake alone. The same notifications, sent both ways, end the
 * same: the same LINE channel, delivery kind, LINE operation and stored reason, or the same refusal (field and reason)
 * — on the shipped routes, and on routes whose routing rule (by type, and by customer id) and policy (auto prefers a
 * LINE notification message over a push) an integration engineer edited.
 */
class ChunkIntakeEquivalenceTest {

    static final String CHANNELS = """
            channels:
              - name: th-main
                country: TH
                accessToken: th-token-0001
                channelSecret: th-secret-0001
                templateKeys:
                  shipping_complete:
                    templateKey: shipment_done_th
                    items: {shippedDate: date_th, orderNumber: number_th}
              - name: tw-main
                country: TW
                accessToken: tw-token-0001
                channelSecret: tw-secret-0001
                templateKeys:
                  shipping_complete:
                    templateKey: shipment_done_tw
                    items: {shippedDate: date_tw, orderNumber: number_tw}
            """;
    static final String HEADER = "type,customer_id,phone,channel,via,orderNumber,shippedDate,invoiceNumber,amount,amount_currency,dueDate";

    /** type, customer_id, phone, channel, via; a shipment's data, or a payment reminder's. */
    static final List<String[]> ROWS = List.of(
            new String[]{"shipping_complete", "", "081-234-5678", "", ""},          // TH number: th-main, LON
            new String[]{"shipping_complete", "", "+81 90-1234-5678", "", "template"}, // no JP channel: default
            new String[]{"shipping_complete", "", "+1 212 555 0123", "", ""},        // a US number: refused
            new String[]{"shipping_complete", "", "12345", "", ""},                  // not a number: refused
            new String[]{"shipping_complete", "", "081-234-5679", "", "push"},       // push cannot reach a number
            new String[]{"shipping_complete", "", "089-765-4321", "", "flex"},       // flex, channel not approved
            new String[]{"shipping_complete", "C-2002", "", "", ""},                 // a friend: push (edited: LON)
            new String[]{"shipping_complete", "C-1004", "", "", ""},                 // TH customer, not a friend: LON
            new String[]{"shipping_complete", "C-9001", "", "", ""},                 // US customer, not a friend: unreachable
            new String[]{"shipping_complete", "C-4040", "", "", ""},                 // no such customer
            new String[]{"payment_reminder", "C-2002", "", "", "push"},              // edited rule: by type -> tw-main
            new String[]{"shipping_complete", "", "081-234-5670", "tw-main", ""},    // a named channel is kept
            new String[]{"shipping_complete", "C-1001", "", "", "template"},         // edited rule: by customer -> tw-main
            new String[]{"shipping_complete", "", "0912-345-678", "", ""},           // TW number: tw-main
            new String[]{"shipping_complete", "", "", "", ""},                       // no recipient
            new String[]{"shipping_complete", "", "086 123 4567", "", ""},           // same facts as row 1: one question
            new String[]{"shipping_complete", "C-2002", "", "", ""});                // same as row 7

    @TempDir
    static Path dir;
    static TestHub shipped;
    static TestHub edited;

    @BeforeAll
    static void start() throws Exception {
        Path channels = dir.resolve("channels.yaml");
        Files.writeString(channels, CHANNELS);
        Path routes = EditedRoutes.copyShipped(dir.resolve("routes"));
        // routing: payment reminders through tw-main, and one customer segment (by the customerId fact) too
        EditedRoutes.addRoutingRules(routes, """
                              - simple: "${exchangeProperty.HubLineChannel} == null && ${exchangeProperty.HubNotificationType} == 'payment_reminder'"
                                steps:
                                  - bean:
                                      ref: channelRouting
                                      method: "use(${exchange}, 'tw-main')"
                              - simple: "${exchangeProperty.HubLineChannel} == null && ${header.customerId} == 'C-1001'"
                                steps:
                                  - bean:
                                      ref: channelRouting
                                      method: "use(${exchange}, 'tw-main')"
                """);
        // policy: auto prefers a LINE notification message over a push
        Path intake = routes.resolve("intake.camel.yaml");
        String policy = Files.readString(intake);
        String friend = EditedRoutes.when(policy, "\"${header.HubFriend} == true\"");
        String lon = EditedRoutes.when(policy, "\"${header.HubLonReachable} == true\"");
        String reordered = policy.replace(friend + lon, lon + friend);
        assertThat(reordered).isNotEqualTo(policy);
        Files.writeString(intake, reordered);

        shipped = TestHub.start(Files.createDirectories(dir.resolve("shipped")), settings(channels, null));
        edited = TestHub.start(Files.createDirectories(dir.resolve("edited")), settings(channels, routes));
    }

    static Map<String, String> settings(Path channels, Path routes) {
        Map<String, String> s = new HashMap<>(Map.of("hub.sandbox", "on", "hub.channels.file", channels.toString(), "hub.demo.enabled", "true",
                "hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "300", "hub.inbox.checkpoint-rows", "7"));
        if (routes != null) {
            s.put("camel.main.routes-include-pattern", EditedRoutes.includePattern(routes));
        }
        return s;
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

    @Test
    void fileRowsEndAsTheSameRequestsSentToTheApiOnTheShippedRoutes() throws Exception {
        List<String> outcomes = sameBothWays(shipped, "shipped.csv");
        assertThat(outcomes.get(0)).startsWith("th-main auto pnp-template");
        assertThat(outcomes.get(6)).startsWith("default auto push");
        assertThat(outcomes.get(10)).startsWith("default push push");
        assertThat(outcomes.get(12)).startsWith("th-main template pnp-template");
        assertThat(outcomes.get(2)).startsWith("refused phone: the number is from US");
        assertThat(outcomes.get(9)).isEqualTo("refused customer_id: no customer with this id");
    }

    @Test
    void fileRowsEndAsTheSameRequestsSentToTheApiOnEditedRoutes() throws Exception {
        List<String> outcomes = sameBothWays(edited, "edited.csv");
        assertThat(outcomes.get(6)).as("the edited policy: auto prefers LON").startsWith("default auto pnp-template");
        assertThat(outcomes.get(10)).as("the edited rule by type").startsWith("tw-main push push");
        assertThat(outcomes.get(12)).as("the edited rule by customer id").startsWith("tw-main template pnp-template");
        assertThat(outcomes.get(7)).as("other customers as before").startsWith("th-main auto pnp-template");
    }

    /** Sends every row to POST /api/notifications and drops them as one CSV; asserts each ends the same; the outcomes. */
    private static List<String> sameBothWays(TestHub hub, String fileName) throws Exception {
        List<String> api = new ArrayList<>();
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (String[] r : ROWS) {
            api.add(viaApi(hub, r));
            csv.append(String.join(",", r)).append(',').append(r[0].equals("payment_reminder")
                    ? ",,R-1,10,THB,2026-12-01" : "P-1,2026-11-27,,,,").append("\r\n");
        }
        Inbox inbox = new Inbox(dirOf(hub));
        inbox.drop(fileName, csv.toString().getBytes(StandardCharsets.UTF_8));
        List<String[]> report = inbox.awaitReport(fileName, Duration.ofSeconds(60));
        assertThat(report).hasSize(ROWS.size());
        List<String> file = new ArrayList<>();
        for (String[] line : report) {
            file.add(line[1].equals("accepted") ? stored(hub, line[2]) : "refused " + line[3] + ": " + line[4]);
        }
        for (int i = 0; i < ROWS.size(); i++) {
            assertThat(file.get(i)).as("row %d: %s", i + 1, String.join(",", ROWS.get(i))).isEqualTo(api.get(i));
        }
        return file;
    }

    private static Path dirOf(TestHub hub) {
        return hub == shipped ? dir.resolve("shipped") : dir.resolve("edited");
    }

    /** One row as a request to the API: channel, via, operation and reason stored, or refused with the CSV column and reason. */
    private static String viaApi(TestHub hub, String[] r) throws Exception {
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("type", r[0]);
        ObjectNode to = req.putObject("to");
        if (!r[1].isEmpty()) {
            to.put("customerId", r[1]);
        }
        if (!r[2].isEmpty()) {
            to.put("phone", r[2]);
        }
        if (!r[3].isEmpty()) {
            req.put("channel", r[3]);
        }
        if (!r[4].isEmpty()) {
            req.put("via", r[4]);
        }
        ObjectNode data = req.putObject("data");
        if (r[0].equals("payment_reminder")) {
            data.put("invoiceNumber", "R-1");
            data.putObject("amount").put("amount", "10").put("currency", "THB");
            data.put("dueDate", "2026-12-01");
        } else {
            data.put("orderNumber", "P-1");
            data.put("shippedDate", "2026-11-27");
        }
        HttpResponse<String> answer = hub.post("/api/notifications", Json.write(req));
        JsonNode body = Json.read(answer.body());
        if (answer.statusCode() == 202) {
            return stored(hub, body.path("id").asText());
        }
        assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
        return "refused " + InboxFiles.columnOf(body.path("field").asText(null), "x.csv") + ": " + body.path("reason").asText();
    }

    private static String stored(TestHub hub, String id) throws Exception {
        JsonNode n = hub.notification(id);
        return n.path("channel").asText() + " " + n.path("via").asText() + " " + n.path("lineOperation").asText() + " ("
                + n.path("channelDecision").asText() + ")";
    }
}
