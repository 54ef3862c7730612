package io.linehub.sandbox;

import static io.linehub.sandbox.SandboxClient.JP_HASH;
import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.jsonHeaders;
import static io.linehub.sandbox.SandboxClient.minimalBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.linehub.testsupport.LineOpenApi;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code POST /v2/bot/message/pnp/templated/push} answers as LINE documents (README §1, §4.4). */
class PnpTemplatedPushTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    LineSandbox sandbox;
    SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SandboxClient.SECRET, null))
                .channel(new SandboxChannel("channel-b", "token-b", "secret-b", URI.create("http://127.0.0.1:9/none")))
                .clock(java.time.Clock.fixed(NOW, ZoneOffset.UTC))
                .deliveryDelay(Duration.ofHours(1)) // no webhook during these tests
                // these tests are about LINE's shape rules and use invented item keys (key_0 … key_14: LINE documents
                // only five); the refusal of undocumented keys is SandboxTemplateKeysTest's
                .templateKeys(TemplateKeys.ANY)
                .build());
        sandbox.directory().add(TH_HASH);
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    /** Asserts status, exact JSON body (key order ignored) and a request id. */
    static void assertAnswer(HttpResponse<String> r, int status, String expectedJson) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(json(r.body())).as("body").isEqualTo(json(expectedJson));
        assertThat(r.headers().firstValue("x-line-request-id")).as("x-line-request-id").isPresent().get().asString().isNotBlank();
        assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("application/json");
    }

    static String bodyError(String message, String property) {
        return "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"" + message + "\",\"property\":\"" + property + "\"}]}";
    }

    static String withBody(String bodyJson) {
        return "{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"shipment_completed_ja\",\"body\":" + bodyJson + "}";
    }

    static String items(int n, int contentLength) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"itemKey\":\"key_").append(i).append("\",\"content\":\"").append("x".repeat(contentLength)).append("\"}");
        }
        return sb.append("]").toString();
    }

    @Test
    @DisplayName("a known hash is accepted with 202 {} and the request is recorded with the token masked")
    void knownHashAccepted() {
        HttpResponse<String> r = client.push(minimalBody(TH_HASH));
        assertAnswer(r, 202, "{}");

        List<RecordedRequest> recorded = sandbox.requests();
        assertThat(recorded).hasSize(1);
        RecordedRequest rec = recorded.get(0);
        assertThat(rec.at()).isEqualTo(NOW);
        assertThat(rec.channel()).isEqualTo("channel-a");
        assertThat(rec.method()).isEqualTo("POST");
        assertThat(rec.path()).isEqualTo(SandboxClient.PATH);
        assertThat(rec.headers().get("authorization")).isEqualTo("Bearer ***");
        assertThat(rec.headers().toString()).doesNotContain(TOKEN);
        assertThat(rec.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(rec.body()).isEqualTo(minimalBody(TH_HASH));
        assertThat(rec.status()).isEqualTo(202);
        assertThat(rec.responseBody()).isEqualTo("{}");
        assertThat(rec.lineRequestId()).isEqualTo(r.headers().firstValue("x-line-request-id").orElseThrow());
    }

    @Test
    @DisplayName("a full LINE example body (README §4.4 / pnp-templated.yml example) is accepted")
    void fullExampleAccepted() {
        String body = "{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"shipment_completed_ja\",\"body\":{"
                + "\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2024年8月10日(土)\"},"
                + "\"items\":[{\"itemKey\":\"time_range_001_ja\",\"content\":\"午前中\"},{\"itemKey\":\"number_001_ja\",\"content\":\"1234567\"}],"
                + "\"buttons\":[{\"buttonKey\":\"check_delivery_status_ja\",\"url\":\"https://example.com/CheckDeliveryStatus/\"},"
                + "{\"buttonKey\":\"contact_ja\",\"url\":\"https://example.com/ContactUs/\"}]},"
                + "\"customAggregationUnits\":[\"shipping_2024\"]}";
        assertAnswer(client.push(body), 202, "{}");
    }

    @Test
    @DisplayName("an accepted request validates against pnp-templated.yml (the sandbox is not laxer than the spec here)")
    void acceptedRequestMatchesOpenApi() {
        Map<String, String> headers = jsonHeaders();
        headers.put("X-Line-Delivery-Tag", "order-000000012345-menu01");
        String body = withBody("{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2024年8月10日(土)\"},"
                + "\"items\":" + items(15, 300) + ",\"buttons\":[{\"buttonKey\":\"contact_ja\",\"url\":\"https://example.com/" + "a".repeat(900) + "\"}]}");
        HttpResponse<String> r = client.post(SandboxClient.PATH, headers, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        RecordedRequest rec = sandbox.requests().get(0);
        // validate what the sandbox recorded (with a placeholder token, as the recording masks it)
        Map<String, String> recordedHeaders = new java.util.HashMap<>(rec.headers());
        recordedHeaders.put("Authorization", "Bearer placeholder");
        assertThat(LineOpenApi.validate(rec.method(), rec.path(), recordedHeaders, rec.body())).isEmpty();
    }

    @Test
    @DisplayName("an unknown (valid) hash gets 422 Failed to send messages")
    void unknownHashRejected() {
        assertAnswer(client.push(minimalBody(JP_HASH)), 422, "{\"message\":\"Failed to send messages\"}");
        assertThat(sandbox.requests()).singleElement().satisfies(rec -> assertThat(rec.status()).isEqualTo(422));
    }

    @Test
    @DisplayName("removing a hash from the directory turns 202 into 422")
    void directoryRemove() {
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        sandbox.directory().remove(TH_HASH);
        assertThat(sandbox.directory().contains(TH_HASH)).isFalse();
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(422);
    }

    @Test
    @DisplayName("acceptAllNumbers makes every valid hash a LINE user")
    void acceptAllNumbers() {
        try (LineSandbox all = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, "s", null)).acceptAllNumbers(true).build())) {
            assertAnswer(new SandboxClient(all).push(minimalBody(SandboxClient.sha256Hex("+886912345678"))), 202, "{}");
            assertThat(all.directory().size()).isZero();
        }
    }

    @Test
    @DisplayName("'to' that is not 64 lowercase hex gets 400 with property 'to'")
    void badDestination() {
        String expected = bodyError("The value must be a valid SHA-256 digest.", "to");
        assertAnswer(client.push(minimalBody("+66812345678")), 400, expected);
        assertAnswer(client.push(minimalBody(TH_HASH.toUpperCase())), 400, expected);
        assertAnswer(client.push(minimalBody(TH_HASH.substring(1))), 400, expected);
        assertAnswer(client.push("{\"templateKey\":\"shipment_completed_ja\"}"), 400, expected);
    }

    @Test
    @DisplayName("missing templateKey gets 400 with property 'templateKey'")
    void missingTemplateKey() {
        assertAnswer(client.push("{\"to\":\"" + TH_HASH + "\"}"), 400, bodyError("May not be empty", "templateKey"));
        assertAnswer(client.push("{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"\"}"), 400, bodyError("May not be empty", "templateKey"));
    }

    @Test
    @DisplayName("emphasizedItem.content over 15 characters gets 400 body.emphasizedItem.content; 15 is fine")
    void emphasizedContentLimit() {
        assertAnswer(client.push(withBody("{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"Saturday, August 10, 2024\"}}")),
                400, bodyError("Length must be between 0 and 15", "body.emphasizedItem.content"));
        assertThat(client.push(withBody("{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"" + "x".repeat(15) + "\"}}")).statusCode())
                .isEqualTo(202);
    }

    @Test
    @DisplayName("more than 15 items gets 400 body.items; 15 is fine")
    void itemCountLimit() {
        assertAnswer(client.push(withBody("{\"items\":" + items(16, 3) + "}")), 400, bodyError("Size must be between 0 and 15", "body.items"));
        assertThat(client.push(withBody("{\"items\":" + items(15, 3) + "}")).statusCode()).isEqualTo(202);
    }

    @Test
    @DisplayName("an item content over 300 characters gets 400 body.items[3].content")
    void itemContentLimit() {
        String items = "[" + String.join(",",
                "{\"itemKey\":\"a\",\"content\":\"ok\"}", "{\"itemKey\":\"b\",\"content\":\"ok\"}", "{\"itemKey\":\"c\",\"content\":\"" + "x".repeat(300) + "\"}",
                "{\"itemKey\":\"d\",\"content\":\"" + "x".repeat(301) + "\"}") + "]";
        assertAnswer(client.push(withBody("{\"items\":" + items + "}")), 400, bodyError("Length must be between 0 and 300", "body.items[3].content"));
    }

    @Test
    @DisplayName("more than 2 buttons gets 400 body.buttons; a url over 1000 characters gets body.buttons[1].url")
    void buttonLimits() {
        assertAnswer(client.push(withBody("{\"buttons\":[{\"buttonKey\":\"a\",\"url\":\"https://e.com/a\"},{\"buttonKey\":\"b\",\"url\":\"https://e.com/b\"},"
                + "{\"buttonKey\":\"c\",\"url\":\"https://e.com/c\"}]}")), 400, bodyError("Size must be between 0 and 2", "body.buttons"));
        String longUrl = "https://e.com/" + "x".repeat(1000 - 14 + 1);
        assertThat(longUrl).hasSize(1001);
        assertAnswer(client.push(withBody("{\"buttons\":[{\"buttonKey\":\"a\",\"url\":\"https://e.com/a\"},{\"buttonKey\":\"b\",\"url\":\"" + longUrl + "\"}]}")),
                400, bodyError("Length must be between 0 and 1000", "body.buttons[1].url"));
    }

    @Test
    @DisplayName("an itemKey repeated between emphasizedItem and items gets LINE's exact duplicate error")
    void duplicateItemKeyWithEmphasized() {
        assertAnswer(client.push(withBody("{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"8/10\"},"
                        + "\"items\":[{\"itemKey\":\"date_002_ja\",\"content\":\"8/10\"}]}")),
                400, "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":"
                        + "\"Duplicate itemKey in items or between emphasizedItem and items are not allowed: date_002_ja\",\"property\":\"body.emphasizedItem.itemKey\"}]}");
    }

    @Test
    @DisplayName("an itemKey repeated inside items and a repeated buttonKey are both reported")
    void duplicateKeysInsideArrays() {
        HttpResponse<String> r = client.push(withBody("{\"items\":[{\"itemKey\":\"k\",\"content\":\"1\"},{\"itemKey\":\"k\",\"content\":\"2\"}],"
                + "\"buttons\":[{\"buttonKey\":\"b\",\"url\":\"https://e.com/1\"},{\"buttonKey\":\"b\",\"url\":\"https://e.com/2\"}]}"));
        assertAnswer(r, 400, "{\"message\":\"The request body has 2 error(s)\",\"details\":["
                + "{\"message\":\"Duplicate itemKey in items or between emphasizedItem and items are not allowed: k\",\"property\":\"body.items[0].itemKey\"},"
                + "{\"message\":\"Duplicate buttonKey in buttons are not allowed: b\",\"property\":\"body.buttons[0].buttonKey\"}]}");
    }

    @Test
    @DisplayName("all body errors are collected into one 'N error(s)' answer, one detail each")
    void errorsCollected() {
        Map<String, String> headers = jsonHeaders();
        headers.put("X-Line-Delivery-Tag", "short");
        String body = "{\"to\":\"nope\",\"body\":{\"emphasizedItem\":{\"content\":\"" + "x".repeat(16) + "\"},"
                + "\"items\":" + items(16, 301) + "}}";
        HttpResponse<String> r = client.post(SandboxClient.PATH, headers, body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode answer = json(r.body());
        Set<String> properties = new HashSet<>();
        answer.get("details").forEach(d -> properties.add(d.get("property").asText()));
        // tag, to, templateKey, emphasized itemKey + content, items size, 16 item contents
        assertThat(answer.get("details")).hasSize(1 + 1 + 1 + 2 + 1 + 16);
        assertThat(answer.get("message").asText()).isEqualTo("The request body has 22 error(s)");
        assertThat(properties).contains("X-Line-Delivery-Tag", "to", "templateKey", "body.emphasizedItem.itemKey",
                "body.emphasizedItem.content", "body.items", "body.items[0].content", "body.items[15].content");
    }

    @Test
    @DisplayName("a property of the wrong JSON type gets 400 'The property, X, in the request body is invalid'")
    void wrongType() {
        assertAnswer(client.push(withBody("{\"items\":{\"itemKey\":\"a\"}}")), 400,
                "{\"message\":\"The property, body.items, in the request body is invalid (line: -, column: -)\"}");
    }

    @Test
    @DisplayName("a wrong or missing token gets 401 (invalid token / no token) and is recorded without a channel")
    void unauthorized() {
        Map<String, String> wrong = jsonHeaders();
        wrong.put("Authorization", "Bearer not-a-token");
        assertAnswer(client.post(SandboxClient.PATH, wrong, minimalBody(TH_HASH)), 401,
                "{\"message\":\"Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.\"}");
        Map<String, String> none = jsonHeaders();
        none.remove("Authorization");
        assertAnswer(client.post(SandboxClient.PATH, none, minimalBody(TH_HASH)), 401,
                "{\"message\":\"Authentication failed due to the following reason: no token. Confirm that the access token in the authorization header is valid.\"}");
        assertThat(sandbox.requests()).extracting(RecordedRequest::status, RecordedRequest::channel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(401, null), org.assertj.core.groups.Tuple.tuple(401, null));
        assertThat(sandbox.requests().get(0).headers().get("Authorization")).isEqualTo("Bearer ***");
    }

    @Test
    @DisplayName("the token of another channel is accepted and recorded under that channel")
    void secondChannel() {
        Map<String, String> h = jsonHeaders();
        h.put("Authorization", "Bearer token-b");
        assertThat(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        assertThat(sandbox.requests().get(0).channel()).isEqualTo("channel-b");
    }

    @Test
    @DisplayName("a Content-Type other than application/json gets 415; a charset parameter is fine")
    void contentType() {
        Map<String, String> h = jsonHeaders();
        h.put("Content-Type", "text/plain");
        assertAnswer(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)), 415, "{\"message\":\"The content type, text/plain, is not supported\"}");
        h.put("Content-Type", "application/json; charset=UTF-8");
        assertThat(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
    }

    @Test
    @DisplayName("a body that is not JSON gets 400 with the line and column of the error")
    void notJson() {
        assertAnswer(client.push("{\n  \"to\": x\n}"), 400, "{\"message\":\"The request body could not be parsed as JSON (line: 2, column: 10)\"}");
        assertThat(client.push("").statusCode()).isEqualTo(400);
    }

    @Test
    @DisplayName("a body above 2 MB gets 413 and is recorded")
    void tooLarge() {
        String big = "{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        HttpResponse<String> r = client.push(big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r.body()).get("message").asText()).isNotBlank();
        assertThat(r.headers().firstValue("x-line-request-id")).isPresent();
        assertThat(sandbox.requests()).singleElement().satisfies(rec -> {
            assertThat(rec.status()).isEqualTo(413);
            assertThat(rec.channel()).isEqualTo("channel-a");
            assertThat(rec.body()).as("refused unread").isNull();
        });
    }

    @Test
    @DisplayName("X-Line-Retry-Key is refused with 400 naming the header (LON does not support retry keys)")
    void retryKeyRefused() {
        Map<String, String> h = jsonHeaders();
        h.put("X-Line-Retry-Key", "123e4567-e89b-12d3-a456-426614174000");
        HttpResponse<String> r = client.post(SandboxClient.PATH, h, minimalBody(TH_HASH));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("message").asText()).contains("X-Line-Retry-Key");
    }

    @Test
    @DisplayName("X-Line-Delivery-Tag must be 16-100 characters: 15 and 101 get 400 on X-Line-Delivery-Tag, 16 and 100 pass")
    void deliveryTagLength() {
        Map<String, String> h = jsonHeaders();
        for (int bad : new int[] {15, 101}) {
            h.put("X-Line-Delivery-Tag", "t".repeat(bad));
            assertAnswer(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)), 400, bodyError("Length must be between 16 and 100", "X-Line-Delivery-Tag"));
        }
        for (int good : new int[] {16, 100}) {
            h.put("X-Line-Delivery-Tag", "t".repeat(good));
            assertThat(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        }
    }

    @Test
    @DisplayName("customAggregationUnits: invalid characters and more than one name are 400")
    void aggregationUnits() {
        String base = "{\"to\":\"" + TH_HASH + "\",\"templateKey\":\"k\",\"customAggregationUnits\":";
        assertAnswer(client.push(base + "[\"bad-name\"]}"), 400, bodyError("Invalid characters are included in custom aggregation unit", "customAggregationUnits[0]"));
        assertAnswer(client.push(base + "[\"a\",\"b\"]}"), 400, bodyError("Size must be between 0 and 1", "customAggregationUnits"));
    }

    @Test
    @DisplayName("an unknown path gets 404 {\"message\":\"Not found\"} and is recorded")
    void unknownPath() {
        assertAnswer(client.post("/v2/bot/message/pnp/templated/pushx", jsonHeaders(), "{}"), 404, "{\"message\":\"Not found\"}");
        assertAnswer(client.get("/v2/bot/nothing?x=1"), 404, "{\"message\":\"Not found\"}");
        assertThat(sandbox.requests()).extracting(RecordedRequest::path).containsExactly("/v2/bot/message/pnp/templated/pushx", "/v2/bot/nothing?x=1");
    }

    @Test
    @DisplayName("the push path with another method gets 405 with a JSON body and is recorded")
    void wrongMethod() {
        assertAnswer(client.get(SandboxClient.PATH), 405, "{\"message\":\"Method not allowed\"}");
        assertThat(sandbox.requests()).singleElement().satisfies(rec -> assertThat(rec.method()).isEqualTo("GET"));
    }

    @Test
    @DisplayName("every answer carries a fresh x-line-request-id")
    void freshRequestIds() {
        Set<String> ids = new HashSet<>();
        ids.add(client.push(minimalBody(TH_HASH)).headers().firstValue("x-line-request-id").orElseThrow());
        ids.add(client.push(minimalBody(TH_HASH)).headers().firstValue("x-line-request-id").orElseThrow());
        ids.add(client.push(minimalBody(JP_HASH)).headers().firstValue("x-line-request-id").orElseThrow());
        ids.add(client.push("{").headers().firstValue("x-line-request-id").orElseThrow());
        assertThat(ids).hasSize(4);
    }

    @Test
    @DisplayName("clearRequests empties the record; maxRecordedRequests drops the oldest")
    void recordingLimits() {
        client.push(minimalBody(TH_HASH));
        sandbox.clearRequests();
        assertThat(sandbox.requests()).isEmpty();
        try (LineSandbox small = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, "s", null)).acceptAllNumbers(true).maxRecordedRequests(3).build())) {
            SandboxClient c = new SandboxClient(small);
            for (int i = 0; i < 5; i++) {
                c.push(minimalBody(SandboxClient.sha256Hex("+6681234567" + i)));
            }
            assertThat(small.requests()).extracting(RecordedRequest::body).containsExactly(
                    minimalBody(SandboxClient.sha256Hex("+66812345672")),
                    minimalBody(SandboxClient.sha256Hex("+66812345673")),
                    minimalBody(SandboxClient.sha256Hex("+66812345674")));
        }
    }
}
