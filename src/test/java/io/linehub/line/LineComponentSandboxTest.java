package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.line.model.BroadcastRequest;
import io.linehub.line.model.MessageQuotaResponse;
import io.linehub.line.model.MulticastRequest;
import io.linehub.line.model.NarrowcastProgressResponse;
import io.linehub.line.model.NarrowcastRequest;
import io.linehub.line.model.NumberOfMessagesResponse;
import io.linehub.line.model.PnpMessagesRequest;
import io.linehub.line.model.PnpTemplatedRequest;
import io.linehub.line.model.PushMessageRequest;
import io.linehub.line.model.PushMessageResponse;
import io.linehub.line.model.QuotaConsumptionResponse;
import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.sandbox.SandboxChannel;
import io.linehub.sandbox.SandboxConfig;
import io.linehub.testsupport.LineOpenApi;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operation of the {@code line:} component against the hub's LINE sandbox: the exact request and LINE's answer. */
class LineComponentSandboxTest {

    static final String HASH = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";
    static final String FRIEND = "U4af4980629ad1a2d7f2b1f6f1b2c3d4e";
    static final String FRIEND2 = "U0123456789abcdef0123456789abcdef";
    static final JsonNode TEXT = Json.read("{\"type\":\"text\",\"text\":\"ส่งของแล้ว\"}");

    static LineSandbox sandbox;
    static CamelContext camel;
    static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("acme", "acme-token-1", "acme-secret-1", null))
                .narrowcastPhases(Duration.ofMillis(50), Duration.ofMillis(50))
                .narrowcastMinRecipients(1)
                .monthlyQuota(1000L)
                .build());
        sandbox.directory().add(HASH);
        sandbox.addFriend("acme", FRIEND);
        sandbox.addFriend("acme", FRIEND2);
        camel = new DefaultCamelContext();
        LineComponent line = new LineComponent();
        line.setChannels(new LineChannels(List.of(new LineChannel("acme", "acme-token-1", "acme-secret-1", URI.create(sandbox.baseUrl()), "JP", "ja"))));
        camel.addComponent("line", line);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        sandbox.clearRequests();
    }

    private static RecordedRequest only() {
        List<RecordedRequest> all = sandbox.requests();
        assertThat(all).hasSize(1);
        RecordedRequest r = all.get(0);
        assertThat(r.channel()).isEqualTo("acme");
        Map<String, String> headers = new HashMap<>(r.headers());
        assertThat(LineOpenApi.validate(r.method(), r.path(), headers, r.body())).isEmpty();
        return r;
    }

    private static Exchange send(String uri, Object body, String header, Object value) {
        Exchange out = template.request(uri, e -> {
            e.getMessage().setBody(body);
            if (header != null) {
                e.getMessage().setHeader(header, value);
            }
        });
        assertThat(out.getException()).isNull();
        return out;
    }

    @Test
    void pnpTemplate() {
        long before = System.currentTimeMillis();
        Exchange out = send("line:pnp-template?channel=acme", new PnpTemplatedRequest(HASH, "shipment_completed_ja",
                new PnpTemplatedRequest.Body(new PnpTemplatedRequest.Item("date_002_ja", "11月27日(金)"), null, null), null),
                LineConstants.DELIVERY_TAG, "tag-0123456789abcdef");
        RecordedRequest r = only();
        assertThat(r.path()).isEqualTo("/v2/bot/message/pnp/templated/push");
        assertThat(r.status()).isEqualTo(202);
        // when the request was written: after the call began, no later than LINE saw it arrive
        assertThat(out.getMessage().getHeader(LineConstants.SENT_AT, Long.class)).isBetween(before, r.at().toEpochMilli());
        // when the answer came: no earlier than LINE saw the request, no later than now
        assertThat(out.getMessage().getHeader(LineConstants.ANSWERED_AT, Long.class)).isBetween(r.at().toEpochMilli(), System.currentTimeMillis());
        assertThat(r.headers()).containsEntry("X-Line-Delivery-Tag", "tag-0123456789abcdef").doesNotContainKey("X-Line-Retry-Key");
        assertThat(Json.read(r.body()).path("to").asText()).isEqualTo(HASH);
        assertThat(out.getMessage().getHeader(LineConstants.REQUEST_ID)).isEqualTo(r.lineRequestId());
    }

    @Test
    void pnpFlex() {
        send("line:pnp-flex?channel=acme", new PnpMessagesRequest(HASH, List.of(TEXT), null, null), LineConstants.DELIVERY_TAG, "tag-fedcba9876543210");
        RecordedRequest r = only();
        assertThat(r.path()).isEqualTo("/bot/pnp/push");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.read(r.body())).isEqualTo(Json.read("{\"to\":\"" + HASH + "\",\"messages\":[" + TEXT + "]}"));
    }

    @Test
    void pushAndItsRetryIsAnsweredWithTheAcceptedRequest() {
        Exchange first = send("line:push?channel=acme&retryKey=auto", new PushMessageRequest(FRIEND, List.of(TEXT), null, null), null, null);
        RecordedRequest r = only();
        String key = first.getMessage().getHeader(LineConstants.RETRY_KEY, String.class);
        assertThat(r.headers()).containsEntry("X-Line-Retry-Key", key);
        assertThat(first.getMessage().getBody(PushMessageResponse.class).sentMessages()).hasSize(1);

        Exchange retry = send("line:push?channel=acme", new PushMessageRequest(FRIEND, List.of(TEXT), null, null), LineConstants.RETRY_KEY, key);
        assertThat(retry.getMessage().getHeader(LineConstants.HTTP_STATUS)).isEqualTo(409);
        assertThat(retry.getMessage().getHeader(LineConstants.ACCEPTED_REQUEST_ID)).isEqualTo(r.lineRequestId());
        assertThat(sandbox.sent().stream().filter(s -> key.equals(s.retryKey()))).hasSize(1);
    }

    @Test
    void multicast() {
        send("line:multicast?channel=acme&retryKey=auto", new MulticastRequest(List.of(FRIEND, FRIEND2), List.of(TEXT), null, null), null, null);
        RecordedRequest r = only();
        assertThat(r.path()).isEqualTo("/v2/bot/message/multicast");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.read(r.body()).path("to")).hasSize(2);
    }

    @Test
    void broadcast() {
        send("line:broadcast?channel=acme&retryKey=auto&notificationDisabled=true", new BroadcastRequest(List.of(TEXT), null), null, null);
        RecordedRequest r = only();
        assertThat(r.path()).isEqualTo("/v2/bot/message/broadcast");
        assertThat(Json.read(r.body()).path("notificationDisabled").asBoolean()).isTrue();
    }

    @Test
    void narrowcastUntilItSucceeded() {
        Exchange out = send("line:narrowcast?channel=acme&retryKey=auto&waitForCompletion=true&progressInterval=40",
                new NarrowcastRequest(List.of(TEXT), null, null, new NarrowcastRequest.Limit(100, null, null), null), null, null);
        NarrowcastProgressResponse progress = out.getMessage().getBody(NarrowcastProgressResponse.class);
        assertThat(progress.phase()).isEqualTo("succeeded");
        List<RecordedRequest> all = sandbox.requests();
        assertThat(all.get(0).path()).isEqualTo("/v2/bot/message/narrowcast");
        assertThat(all.get(0).status()).isEqualTo(202);
        assertThat(all.subList(1, all.size())).allSatisfy(p -> assertThat(p.path())
                .isEqualTo("/v2/bot/message/progress/narrowcast?requestId=" + all.get(0).lineRequestId()));
        for (RecordedRequest r : all) {
            assertThat(LineOpenApi.validate(r.method(), r.path(), new HashMap<>(r.headers()), r.body())).isEmpty();
        }
    }

    @Test
    void quotaConsumptionAndStatistics() {
        MessageQuotaResponse quota = template.requestBody("line:quota?channel=acme", null, MessageQuotaResponse.class);
        assertThat(quota).isEqualTo(new MessageQuotaResponse("limited", 1000L));
        assertThat(template.requestBody("line:quota-consumption?channel=acme", null, QuotaConsumptionResponse.class).totalUsage())
                .isEqualTo(sandbox.usage("acme"));
        NumberOfMessagesResponse stats = template.requestBodyAndHeader("line:pnp-template-stats?channel=acme", null, LineConstants.DATE, "20260101",
                NumberOfMessagesResponse.class);
        assertThat(stats.status()).isEqualTo("ready");
        assertThat(template.requestBodyAndHeader("line:pnp-flex-stats?channel=acme", null, LineConstants.DATE, "20260101",
                NumberOfMessagesResponse.class).status()).isEqualTo("ready");
        for (RecordedRequest r : sandbox.requests()) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(LineOpenApi.validate(r.method(), r.path(), new HashMap<>(r.headers()), r.body())).isEmpty();
        }
    }

    @Test
    void linesRefusalsReachTheRouteClassified() {
        Exchange unknownUser = template.request("line:push?channel=acme", e -> e.getMessage().setBody(
                new PushMessageRequest("Uffffffffffffffffffffffffffffff0", List.of(TEXT), null, null)));
        assertThat(((LineApiException) unknownUser.getException()).kind()).isEqualTo(LineErrorKind.FINAL);
        Exchange notALineUser = template.request("line:pnp-template?channel=acme", e -> e.getMessage().setBody(
                new PnpTemplatedRequest("a".repeat(64), "shipment_completed_ja", null, null)));
        LineApiException e = (LineApiException) notALineUser.getException();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.lineMessage()).isEqualTo("Failed to send messages");
    }
}
