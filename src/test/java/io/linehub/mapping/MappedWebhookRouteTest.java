package io.linehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route template mapped-webhook (routes/mapped-webhook.camel.yaml) in a real hub: a shop's "order fulfilled"
 * webhook signed Shopify-style (HMAC-SHA256 of the raw body, base64, in its own header) becomes a shipping_complete.
 */
class MappedWebhookRouteTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;
    static final String SECRET = "shop-webhook-secret-for-tests";
    static final String HEADER = "X-Shop-Hmac-Sha256";

    @BeforeAll
    static void start() throws Exception {
        Path routes = Files.createDirectories(dataDir.resolve("routes"));
        Files.writeString(routes.resolve("shop.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: mapped-webhook
                    routeId: shop-fulfilled
                    parameters:
                      - {name: path, value: /webhook/shop/fulfilled}
                      - {name: secret, value: "{{shop.secret}}"}
                      - {name: signatureHeader, value: %s}
                      - {name: encoding, value: base64}
                      - {name: type, value: shipping_complete}
                      - name: mapping
                        value: "orderNumber=$.name, phone=$.shipping_address.phone, shippedDate=$.fulfilled_on|yyyy/MM/dd, carrier=$.fulfillments[0].tracking_company, trackingNumber=$.fulfillments[0].tracking_number, itemName=$.line_items[0].title, idempotencyKey=$.id"
                """.formatted(HEADER));
        hub = TestHub.start(dataDir, Map.of("shop.secret", SECRET,
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + routes + "/*.camel.yaml"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static String sign(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    static byte[] order(long id, String fulfilledOn) {
        return ("{\"id\":" + id + ",\"name\":\"#JP-" + id + "\",\"shipping_address\":{\"phone\":\"+81 90-1234-5678\"},"
                + (fulfilledOn == null ? "" : "\"fulfilled_on\":\"" + fulfilledOn + "\",")
                + "\"fulfillments\":[{\"tracking_company\":\"ヤマト運輸\",\"tracking_number\":\"4567-8901-2345\"}],"
                + "\"line_items\":[{\"title\":\"お歳暮ギフトセット\",\"quantity\":1}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = TestHub.NO_AUTH; // the other system has no API key: its signature is its proof
        System.arraycopy(headers, 0, all, 2, headers.length);
        return hub.post("/webhook/shop/fulfilled", body, all);
    }

    @Test
    void aValidSignatureGives202WithTheNotificationIdAndTheMappedFields() throws Exception {
        byte[] body = order(820982911946154508L, "2026/11/27");
        HttpResponse<String> r = post(body, HEADER, sign(body, SECRET));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Json.read(r.body()).path("id").asText();
        try (var c = hub.db().getConnection(); var ps = c.prepareStatement("SELECT type, data, idempotency_key FROM notification WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("shipping_complete");
                JsonNode data = Json.read(rs.getString(2));
                assertThat(data.path("orderNumber").asText()).isEqualTo("#JP-820982911946154508");
                assertThat(data.path("shippedDate").asText()).isEqualTo("2026-11-27");
                assertThat(data.path("carrier").asText()).isEqualTo("ヤマト運輸");
                assertThat(data.path("itemName").asText()).isEqualTo("お歳暮ギフトセット");
                assertThat(rs.getString(3)).isEqualTo("webhook:/webhook/shop/fulfilled:820982911946154508");
            }
        }
        // the platform delivers the same webhook again: the same notification
        HttpResponse<String> again = post(body, HEADER, sign(body, SECRET));
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.read(again.body()).path("id").asText()).isEqualTo(id);
    }

    @Test
    void aMissingSignatureIs401NamingTheHeader() throws Exception {
        HttpResponse<String> r = post(order(1001, "2026/11/27"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Json.read(r.body()).path("field").asText()).isEqualTo(HEADER);
        assertThat(Json.read(r.body()).path("reason").asText()).contains("missing");
    }

    @Test
    void aWrongSignatureIs401AndNothingIsStored() throws Exception {
        byte[] body = order(1002, "2026/11/27");
        long before = hub.count("SELECT COUNT(*) FROM notification");
        HttpResponse<String> wrongSecret = post(body, HEADER, sign(body, "another-secret"));
        HttpResponse<String> tampered = post(order(1003, "2026/11/27"), HEADER, sign(body, SECRET));
        HttpResponse<String> garbage = post(body, HEADER, "%%% not base64 %%%");

        for (HttpResponse<String> r : new HttpResponse[]{wrongSecret, tampered, garbage}) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(Json.read(r.body()).path("field").asText()).isEqualTo(HEADER);
            assertThat(r.body()).doesNotContain(SECRET);
        }
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(before);
    }

    @Test
    void refusalsName4xxTheCallersJsonPathAndHostileBodiesNeverGive500() throws Exception {
        byte[] noDate = order(1004, null);
        HttpResponse<String> missing = post(noDate, HEADER, sign(noDate, SECRET));
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
        assertThat(Json.read(missing.body()).path("field").asText()).isEqualTo("$.fulfilled_on");

        byte[] badDate = order(1005, "27.11.2026");
        HttpResponse<String> wrongPattern = post(badDate, HEADER, sign(badDate, SECRET));
        assertThat(wrongPattern.statusCode()).isEqualTo(400);
        assertThat(Json.read(wrongPattern.body()).path("field").asText()).isEqualTo("$.fulfilled_on");

        for (String hostile : new String[]{"not json", "[1,2,3]", "{\"id\":1,\"id\":2}", "{\"a\":" + "[".repeat(5000), "\"text\""}) {
            byte[] b = hostile.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = post(b, HEADER, sign(b, SECRET));
            assertThat(r.statusCode()).as(hostile + " -> " + r.body()).isBetween(400, 499);
        }
        byte[] big = new byte[70_000];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(post(big, HEADER, sign(big, SECRET)).statusCode()).isEqualTo(413);
        byte[] ok = order(1006, "2026/11/27");
        assertThat(post(ok, HEADER, sign(ok, SECRET), "Content-Type", "text/plain").statusCode()).isEqualTo(415);
    }
}
