package io.linehub.sandbox;

import static io.linehub.sandbox.PnpTemplatedPushTest.assertAnswer;
import static io.linehub.sandbox.PnpTemplatedPushTest.json;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.text;
import static io.linehub.sandbox.SandboxClient.userId;
import static org.assertj.core.api.Assertions.assertThat;

import io.linehub.testsupport.LineOpenApi;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Run-time validation against LINE's OpenAPI files, answered in LINE's error format (README §1). */
class RequestValidationTest {

    static final String PUSH = "/v2/bot/message/push";
    LineSandbox sandbox;
    SandboxClient client;
    final String alice = userId(1);

    @AfterEach
    void stop() {
        sandbox.close();
    }

    void start(boolean validate) {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, SandboxClient.SECRET, null)).validateRequests(validate).build());
        sandbox.addFriend("a", alice);
        client = new SandboxClient(sandbox);
    }

    String push(String messages) {
        return "{\"to\":\"" + alice + "\",\"messages\":" + messages + "}";
    }

    @Test
    @DisplayName("LINE's documented broadcast example: a message without type → 1 error, May not be empty, messages[0].type")
    void broadcastExample() {
        start(true);
        assertAnswer(client.postJson("/v2/bot/message/broadcast", "{\"messages\":[{\"text\":\"x\"}]}"), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"messages[0].type\"}]}");
        assertThat(sandbox.sent()).isEmpty();
    }

    @Test
    @DisplayName("missing text, unknown type and too many messages are each named with LINE's property path")
    void bodyErrors() {
        start(true);
        assertAnswer(client.postJson(PUSH, push("[{\"type\":\"text\"}]")), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"messages[0].text\"}]}");
        HttpResponse<String> unknown = client.postJson(PUSH, push("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"nonsense\"}]"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown.body()).get("details").get(0).get("property").asText()).isEqualTo("messages[1].type");
        assertThat(json(unknown.body()).get("details").get(0).get("message").asText()).startsWith("Must be one of the following values: [")
                .contains("text").contains("flex");
        String six = "[" + String.join(",", java.util.Collections.nCopies(6, "{\"type\":\"text\",\"text\":\"a\"}")) + "]";
        HttpResponse<String> tooMany = client.postJson(PUSH, push(six));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany.body()).get("details").get(0).get("property").asText()).isEqualTo("messages");
        assertThat(sandbox.sent()).isEmpty();
        // the test helper agrees with the sandbox
        assertThat(LineOpenApi.validate("POST", PUSH, SandboxClient.jsonHeaders(), push(six))).isNotEmpty();
    }

    @Test
    @DisplayName("a value of the wrong JSON type: 400 The property, X, in the request body is invalid (line: -, column: -)")
    void wrongType() {
        start(true);
        assertAnswer(client.postJson(PUSH, push("[{\"type\":\"text\",\"text\":5}]")), 400,
                "{\"message\":\"The property, messages[0].text, in the request body is invalid (line: -, column: -)\"}");
    }

    @Test
    @DisplayName("flex messages are validated deep: a bubble without body contents is refused, a valid one accepted")
    void flexDeep() {
        start(true);
        String good = "[{\"type\":\"flex\",\"altText\":\"Shipped\",\"contents\":{\"type\":\"bubble\",\"body\":{\"type\":\"box\",\"layout\":\"vertical\","
                + "\"contents\":[{\"type\":\"text\",\"text\":\"Shipped\"}]}}}]";
        assertThat(client.postJson(PUSH, push(good)).statusCode()).isEqualTo(200);
        String noAlt = good.replace("\"altText\":\"Shipped\",", "");
        HttpResponse<String> r = client.postJson(PUSH, push(noAlt));
        assertAnswer(r, 400, "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"messages[0].altText\"}]}");
        SandboxClient.assertAcceptedRequestsValidate(sandbox);
    }

    @Test
    @DisplayName("validateRequests=false: the schema is not checked (hand checks with LINE's exact messages still are)")
    void switchedOff() {
        start(false);
        assertThat(client.postJson(PUSH, push("[{\"type\":\"text\"}]")).statusCode()).isEqualTo(200);
        assertThat(client.postJson("/v2/bot/message/multicast", "{\"to\":[\"x\"],\"messages\":" + text("a") + "}").statusCode()).isEqualTo(400);
        // without the schema the sandbox still answers LINE-style 400s, not 500s
        assertAnswer(client.postJson(PUSH, "{\"messages\":" + text("a") + "}"), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"to\"}]}");
        assertAnswer(client.postJson("/v2/bot/message/broadcast", "{}"), 400,
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\",\"property\":\"messages\"}]}");
    }
}
