package io.linehub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of request LINE refuses for its shape gets LINE's 400 body from the sandbox, naming the property. */
class SandboxRejectsSchemaBreakingRequestsTest {

    static LineSandbox sandbox;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String HASH = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";
    static final String TEXT = "{\"type\":\"text\",\"text\":\"hi\"}";

    @BeforeAll
    static void start() {
        sandbox = LineSandbox.start(SandboxConfig.builder().channel(new SandboxChannel("c", "tok", "sec", null)).acceptAllNumbers(true).build());
        sandbox.addFriend("c", "U4af4980629ad1a2d7f2b1f6f1b2c3d4e");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            push without to                  | /v2/bot/message/push                | {"messages":[TEXT]}                                                                   |             | to
            push with 6 messages             | /v2/bot/message/push                | {"to":"U4af4980629ad1a2d7f2b1f6f1b2c3d4e","messages":[TEXT,TEXT,TEXT,TEXT,TEXT,TEXT]}  |             | messages
            LON template without to          | /v2/bot/message/pnp/templated/push  | {"templateKey":"shipment_completed_ja"}                                               |             | to
            LON item content over 300        | /v2/bot/message/pnp/templated/push  | {"to":"HASH","templateKey":"k","body":{"items":[{"itemKey":"a","content":"LONG"}]}}   |             | body.items[0].content
            LON uppercase hash               | /v2/bot/message/pnp/templated/push  | {"to":"UPPER","templateKey":"shipment_completed_ja"}                                  |             | to
            LON short hash                   | /v2/bot/message/pnp/templated/push  | {"to":"7fc93a279e8accbc","templateKey":"shipment_completed_ja"}                       |             | to
            LON template with a retry key    | /v2/bot/message/pnp/templated/push  | {"to":"HASH","templateKey":"shipment_completed_ja"}                                   | retry       |
            LON flexible with a retry key    | /bot/pnp/push                       | {"to":"HASH","messages":[TEXT]}                                                       | retry       |
            """)
    void refusedWithLinesBody(String what, String path, String body, String retry, String property) throws Exception {
        String json = body.replace("TEXT", TEXT).replace("UPPER", HASH.toUpperCase()).replace("HASH", HASH).replace("LONG", "x".repeat(301));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer tok").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (retry != null) {
            b.header("X-Line-Retry-Key", "123e4567-e89b-12d3-a456-426614174000");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("x-line-request-id")).isPresent();
        JsonNode error = Json.read(r.body());
        assertThat(error.path("message").asText()).isNotBlank();
        if (property != null) {
            assertThat(error.path("message").asText()).matches("The request body has \\d+ error\\(s\\)");
            assertThat(error.path("details").findValuesAsText("property")).anySatisfy(p -> assertThat(p).startsWith(property));
        } else {
            assertThat(error.path("message").asText()).contains("X-Line-Retry-Key");
        }
        assertThat(sandbox.sent()).isEmpty();
    }
}
