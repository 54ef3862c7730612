package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.linehub.json.Json;
import io.linehub.line.LineSignature;
import io.linehub.phone.PhoneNumbers;
import io.linehub.testsupport.LineOpenApi;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** LINE_API_BASE_URL pointed at a LINE-compatible server that is not the hub's sandbox (WireMock). */
class WireMockLineTest {

    private static final String PATH = "/v2/bot/message/pnp/templated/push";
    private static final String TOKEN = "wm-token-0c1d2e3f";
    private static final String SECRET = "wm-secret-a1b2c3";

    @TempDir
    static Path dataDir;
    static WireMockServer line;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        line = new WireMockServer(options().dynamicPort());
        line.start();
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "off", "line.api.base.url", line.baseUrl(),
                "line.channel.access.token", TOKEN, "line.channel.secret", SECRET));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
        line.stop();
    }

    @BeforeEach
    void reset() {
        line.resetAll();
    }

    private String send(String phone) throws Exception {
        var r = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"" + phone + "\"},"
                + "\"data\":{\"orderNumber\":\"W-1\",\"shippedDate\":\"2026-11-27\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.read(r.body()).path("id").asText();
    }

    @Test
    void sendsLinesRequestAndTheSignedDeliveryWebhookCompletesIt() throws Exception {
        line.stubFor(post(PATH).willReturn(aResponse().withStatus(202).withHeader("x-line-request-id", "wm-req-1").withBody("{}")));
        String id = send("+66 81 234 5678");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("SENT"));

        line.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-Line-Delivery-Tag", equalTo(id))
                .withRequestBody(matchingJsonPath("$.to", equalTo("7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2"))));
        LoggedRequest sent = line.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        assertThat(sent.getHeaders().keys()).noneMatch(h -> h.equalsIgnoreCase("X-Line-Retry-Key"));
        assertThat(LineOpenApi.validate("POST", PATH, Map.of("Authorization", sent.getHeader("Authorization"),
                "Content-Type", sent.getHeader("Content-Type"), "X-Line-Delivery-Tag", id), sent.getBodyAsString())).isEmpty();
        assertThat(hub.notification(id).at("/attempts/0/lineRequestId").asText()).isEqualTo("wm-req-1");

        String event = "{\"destination\":\"Uc7472b39e21dab71c2347e02714630d6\",\"events\":[{\"type\":\"delivery\",\"delivery\":{\"data\":\""
                + id + "\"},\"webhookEventId\":\"01G17DAF0QJ7A3ERC5EJ9MAMH8\",\"deliveryContext\":{\"isRedelivery\":false},"
                + "\"timestamp\":1650590038721,\"mode\":\"active\"}]}";
        var r = hub.post("/webhook/line/default", event, "x-line-signature", LineSignature.sign(SECRET, event.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("DELIVERED")); // folded in the background
    }

    @Test
    void deliveryEventCarryingTheHashInsteadOfATagAlsoCompletesIt() throws Exception {
        line.stubFor(post(PATH).willReturn(aResponse().withStatus(202).withBody("{}")));
        String id = send("0912-345-678");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("SENT"));
        // This number was read with the default region TH, so it is not Taiwanese; the hash must match what was sent.
        String hash = Json.read(line.findAll(postRequestedFor(urlEqualTo(PATH))).get(0).getBodyAsString()).path("to").asText();
        String event = "{\"destination\":\"Uc7472b39e21dab71c2347e02714630d6\",\"events\":[{\"type\":\"delivery\",\"delivery\":{\"data\":\""
                + hash + "\"},\"webhookEventId\":\"01G17DAF0QJ7A3ERC5EJ9MAMH9\",\"deliveryContext\":{\"isRedelivery\":false},"
                + "\"timestamp\":1650590038721,\"mode\":\"active\"}]}";
        assertThat(hub.post("/webhook/line/default", event, "x-line-signature", LineSignature.sign(SECRET, event.getBytes(StandardCharsets.UTF_8)))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("DELIVERED")); // folded in the background
    }

    @Test
    void linesValidationErrorIsRecordedAsFinalFailureWithDetails() throws Exception {
        line.stubFor(post(PATH).willReturn(aResponse().withStatus(400).withHeader("x-line-request-id", "wm-req-400").withBody(
                "{\"message\":\"Invalid templateKey: shipment_completed_ja\",\"details\":[{\"message\":\"The specified template doesn't exist,"
                        + " or you don't have the permission\",\"property\":\"templateKey\"}]}")));
        String id = send("+819012345678");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("FAILED"));
        JsonNode n = hub.notification(id);
        assertThat(n.path("lastError").asText()).contains("Invalid templateKey").contains("templateKey");
        assertThat(n.path("attempts")).hasSize(1);
        Thread.sleep(300);
        line.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void serverErrorAfterSendingMakesTheLonUncertainAndIsNotResentBlindly() throws Exception {
        line.stubFor(post(PATH).willReturn(aResponse().withStatus(500).withBody("{\"message\":\"Internal error\"}")));
        String id = send("+886912345678");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("UNCERTAIN"));
        Thread.sleep(500);
        line.verify(1, postRequestedFor(urlEqualTo(PATH)));
        List<String> history = hub.notification(id).path("history").findValuesAsText("status");
        assertThat(history).containsExactly("QUEUED", "SENDING", "UNCERTAIN");
    }

    @Test
    void phoneNumbersNeverReachLineInClear() throws Exception {
        line.stubFor(post(PATH).willReturn(aResponse().withStatus(202).withBody("{}")));
        String id = send("081-234-5678");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.status(id).equals("SENT"));
        String body = line.findAll(postRequestedFor(urlEqualTo(PATH))).get(0).getBodyAsString();
        assertThat(body).doesNotContain("812345678").contains(PhoneNumbers.hash("+66812345678"));
    }
}
