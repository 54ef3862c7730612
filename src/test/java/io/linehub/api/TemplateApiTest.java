package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.cli.PreviewCommand;
import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.testsupport.LineOpenApi;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The template catalogue and preview over HTTP and on the command line, against what delivery really sends. */
class TemplateApiTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    private static final Map<String, String> JSON = Map.of("Authorization", "Bearer x", "Content-Type", "application/json");

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    @Test
    void catalogueListsThe22TypesWithTheirFields() throws Exception {
        HttpResponse<String> r = hub.get("/api/templates");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode all = Json.read(r.body());
        assertThat(all).hasSize(22);
        JsonNode shipping = null;
        for (JsonNode t : all) {
            if (t.path("type").asText().equals("shipping_complete")) {
                shipping = t;
            }
        }
        assertThat(shipping).isNotNull();
        assertThat(shipping.path("fields").findValuesAsText("name"))
                .containsExactly("orderNumber", "shippedDate", "carrier", "trackingNumber", "itemName", "trackingUrl");
        assertThat(shipping.at("/lonTemplateKeys/JP").asText()).isEqualTo("shipment_completed_ja");
        assertThat(shipping.at("/lonTemplateKeys/TH").isNull()).isTrue();
        assertThat(shipping.at("/fields/1/emphasized").asBoolean()).isTrue();
        assertThat(shipping.at("/fields/0/labels/th").asText()).isNotBlank();
    }

    @Test
    void previewReturnsTheExactPayloadTheDeliveryPathSends() throws Exception {
        String data = "{\"orderNumber\":\"JP-2026-0042\",\"shippedDate\":\"2026-11-27\",\"itemName\":\"スープセット（冷凍）\","
                + "\"trackingUrl\":\"https://example.com/track/42\"}";
        HttpResponse<String> posted = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+81 90-1234-5678\"},"
                + "\"language\":\"ja\",\"data\":" + data + "}");
        assertThat(posted.statusCode()).isEqualTo(202);
        String id = Json.read(posted.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.sandbox().requests().stream()
                .anyMatch(r -> id.equals(r.headers().get("X-Line-Delivery-Tag"))));
        RecordedRequest sent = hub.sandbox().requests().stream().filter(r -> id.equals(r.headers().get("X-Line-Delivery-Tag"))).findFirst().orElseThrow();

        HttpResponse<String> preview = hub.post("/api/templates/shipping_complete/preview", "{\"language\":\"ja\",\"toHash\":\""
                + PhoneNumbers.hash("+819012345678") + "\",\"timeZone\":\"Asia/Tokyo\",\"data\":" + data + "}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode p = Json.read(preview.body());
        assertThat(p.at("/payloads/template")).isEqualTo(Json.read(sent.body()));
        assertThat(p.path("html").asText()).contains("<html").contains("JP-2026-0042");
        assertThat(LineOpenApi.validate("POST", "/bot/pnp/push", JSON, Json.write(p.at("/payloads/flex")))).isEmpty();
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/broadcast", JSON, Json.write(p.at("/payloads/broadcast")))).isEmpty();
    }

    /** Issue 17: each notification records the version (SHA-256 of the template file) it was rendered with. */
    @Test
    void notificationsRecordTheTemplateVersion() throws Exception {
        HttpResponse<String> posted = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+81 90-1234-5678\"},"
                + "\"language\":\"ja\",\"data\":{\"orderNumber\":\"V-1\",\"shippedDate\":\"2026-11-27\"}}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        JsonNode n = hub.notification(Json.read(posted.body()).path("id").asText());
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(Path.of("config/templates/shipping_complete.yaml"))));
        assertThat(n.path("templateVersion").asText()).isEqualTo(expected);
    }

    /** Issue 17: flexible LON needs LINE's prior approval; this hub's default channel is not marked approved (the default). */
    @Test
    void flexibleLonIsRefusedWithoutLinesApprovalAndThePreviewSaysSo() throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"via\":\"flex\","
                + "\"to\":{\"phone\":\"081-234-5678\"},\"data\":{\"orderNumber\":\"F-1\",\"shippedDate\":\"2026-11-27\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode e = Json.read(r.body());
        assertThat(e.path("error").asText()).isEqualTo("not_approved");
        assertThat(e.path("field").asText()).isEqualTo("via");
        assertThat(e.path("reason").asText()).contains("approval", "LINE_CHANNEL_FLEXIBLE_APPROVED");
        assertThat(hub.sandbox().requests().stream().noneMatch(x -> x.path().equals("/bot/pnp/push"))).isTrue();

        HttpResponse<String> preview = hub.post("/api/templates/shipping_complete/preview", "{}");
        JsonNode p = Json.read(preview.body());
        assertThat(p.path("flexibleApproved").asBoolean(true)).isFalse();
        assertThat(p.path("flexNotice").asText()).contains("not approved");
        assertThat(p.path("html").asText()).contains("Flexible LON: this channel is not approved");
    }

    @Test
    void commandLinePreviewPrintsWhatTheEndpointAnswers(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data.json");
        Files.writeString(data, "{\"invoiceNumber\":\"C-1001\",\"amount\":{\"amount\":1200,\"currency\":\"THB\"},\"dueDate\":\"2026-12-01\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path html = tmp.resolve("preview.html");
        int code = PreviewCommand.run(new String[]{"payment_reminder", data.toString(), "--language", "th", "--country", "JP",
                "--buddhist-era", "--html", html.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode fromCli = Json.read(out.toString(StandardCharsets.UTF_8));

        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("language", "th").put("country", "JP").put("buddhistEra", true);
        request.set("data", Json.read(Files.readString(data)));
        HttpResponse<String> r = hub.post("/api/templates/payment_reminder/preview", Json.write(request));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(fromCli).isEqualTo(Json.read(r.body()));
        assertThat(fromCli.at("/payloads/template/error").asText()).isEqualTo("no LINE template key configured for payment_reminder in JP");
        assertThat(Files.readString(html)).contains("2569");
    }

    @Test
    void previewOfAnUnknownTypeOrBadDataNamesTheField() throws Exception {
        HttpResponse<String> unknown = hub.post("/api/templates/pizza_party/preview", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.read(unknown.body()).path("field").asText()).isEqualTo("type");
        HttpResponse<String> bad = hub.post("/api/templates/shipping_complete/preview", "{\"data\":{\"orderNumber\":\"1\",\"shippedDate\":\"yesterday\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.read(bad.body()).path("field").asText()).isEqualTo("data.shippedDate");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(PreviewCommand.run(new String[]{"pizza_party"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString()).contains("type").contains("not a known notification type");
    }

    @Test
    void aBrokenTemplateFileStopsStartUpNamingFileFieldAndReason(@TempDir Path otherData) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestHub.start(otherData,
                        Map.of("hub.sandbox", "on", "hub.templates.dir", "src/test/resources/templates/broken-unknown-type")))
                .hasStackTraceContaining("probe.yaml")
                .hasStackTraceContaining("note")
                .hasStackTraceContaining("unknown field type 'string'");
    }
}
