package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import io.linehub.testsupport.LineOpenApi;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every operation of the {@code line:} component against an independent LINE stub (WireMock): the exact
 * request it sends (path, headers, body), that the request validates against LINE's OpenAPI, and what it
 * makes of each of LINE's answers.
 */
class LineComponentWireMockTest {

    static final String TOKEN = "cmp-token-123";
    static final String HASH = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";
    static final String USER = "U4af4980629ad1a2d7f2b1f6f1b2c3d4e";
    static final JsonNode TEXT = Json.read("{\"type\":\"text\",\"text\":\"Your parcel has shipped\"}");

    static WireMockServer line;
    static CamelContext camel;
    static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        line = new WireMockServer(options().dynamicPort());
        line.start();
        camel = new DefaultCamelContext();
        LineComponent component = new LineComponent();
        component.setChannels(new LineChannels(List.of(
                new LineChannel("default", TOKEN, "secret", URI.create(line.baseUrl()), "JP", "ja"),
                new LineChannel("acme-th", "acme-token", "secret2", URI.create(line.baseUrl() + "/"), "TH", "th"))));
        camel.addComponent("line", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        line.stop();
    }

    @BeforeEach
    void reset() {
        line.resetAll();
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> all = line.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The request as LINE's OpenAPI sees it: no errors. */
    private static void assertValidAgainstOpenApi(LoggedRequest r) {
        Map<String, String> headers = new HashMap<>();
        r.getHeaders().all().forEach(h -> headers.put(h.key(), h.firstValue()));
        String body = r.getBodyAsString();
        assertThat(LineOpenApi.validate(r.getMethod().getName(), r.getUrl(), headers, body.isEmpty() ? null : body)).isEmpty();
    }

    @Test
    void pnpTemplateSendsTheHashWithDeliveryTagAndNoRetryKey() {
        line.stubFor(post("/v2/bot/message/pnp/templated/push").willReturn(aResponse().withStatus(202).withHeader("x-line-request-id", "r-1").withBody("{}")));
        PnpTemplatedRequest body = new PnpTemplatedRequest(HASH, "shipment_completed_ja", new PnpTemplatedRequest.Body(
                new PnpTemplatedRequest.Item("date_002_ja", "2026年11月27日(金)"), List.of(new PnpTemplatedRequest.Item("number_001_ja", "JP-1")),
                List.of(new PnpTemplatedRequest.Button("check_delivery_status_ja", "https://example.com/t/1"))), null);

        Exchange out = template.request("line:pnp-template", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(LineConstants.DELIVERY_TAG, "0c8f2b7e-93b1-4d7a-9a55-1b1c6a0e2f11");
        });

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LineConstants.HTTP_STATUS)).isEqualTo(202);
        assertThat(out.getMessage().getHeader(LineConstants.REQUEST_ID)).isEqualTo("r-1");
        LoggedRequest r = onlyRequest();
        assertThat(r.getUrl()).isEqualTo("/v2/bot/message/pnp/templated/push");
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        assertThat(r.getHeader("X-Line-Delivery-Tag")).isEqualTo("0c8f2b7e-93b1-4d7a-9a55-1b1c6a0e2f11");
        assertThat(r.containsHeader("X-Line-Retry-Key")).isFalse();
        assertThat(Json.read(r.getBodyAsString())).isEqualTo(Json.read("{\"to\":\"" + HASH + "\",\"templateKey\":\"shipment_completed_ja\","
                + "\"body\":{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2026年11月27日(金)\"},"
                + "\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"JP-1\"}],"
                + "\"buttons\":[{\"buttonKey\":\"check_delivery_status_ja\",\"url\":\"https://example.com/t/1\"}]}}"));
        assertValidAgainstOpenApi(r);
    }

    @Test
    void pnpFlexSendsMessagesToTheHash() {
        line.stubFor(post("/bot/pnp/push").willReturn(aResponse().withStatus(200).withBody("{}")));
        template.requestBodyAndHeader("line:pnp-flex?notificationDisabled=true",
                new PnpMessagesRequest(HASH, List.of(TEXT), null, null), LineConstants.DELIVERY_TAG, "tag-0123456789abcdef");
        LoggedRequest r = onlyRequest();
        assertThat(r.getUrl()).isEqualTo("/bot/pnp/push");
        assertThat(Json.read(r.getBodyAsString())).isEqualTo(Json.read("{\"to\":\"" + HASH + "\",\"messages\":[" + TEXT + "],\"notificationDisabled\":true}"));
        assertThat(r.getHeader("X-Line-Delivery-Tag")).isEqualTo("tag-0123456789abcdef");
        assertValidAgainstOpenApi(r);
    }

    @Test
    void pushWithAutoRetryKeyReturnsTheKeyAndSentMessageIds() {
        line.stubFor(post("/v2/bot/message/push").willReturn(aResponse().withStatus(200).withHeader("x-line-request-id", "r-2")
                .withBody("{\"sentMessages\":[{\"id\":\"461230966842064897\",\"quoteToken\":\"IStG5h1Tz7b\"}]}")));
        Exchange out = template.request("line:push?retryKey=auto&channel=acme-th",
                e -> e.getMessage().setBody(new PushMessageRequest(USER, List.of(TEXT), null, null)));
        LoggedRequest r = onlyRequest();
        String key = out.getMessage().getHeader(LineConstants.RETRY_KEY, String.class);
        assertThat(key).matches("[0-9a-f-]{36}");
        assertThat(r.getHeader("X-Line-Retry-Key")).isEqualTo(key);
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer acme-token");
        assertThat(out.getMessage().getHeader(LineConstants.SENT_MESSAGE_IDS)).isEqualTo(List.of("461230966842064897"));
        assertThat(out.getMessage().getBody(PushMessageResponse.class).sentMessages().get(0).quoteToken()).isEqualTo("IStG5h1Tz7b");
        assertValidAgainstOpenApi(r);
    }

    @Test
    void aRetryKeyGivenInTheHeaderIsReusedAsIs() {
        line.stubFor(post("/v2/bot/message/multicast").willReturn(aResponse().withStatus(200).withBody("{}")));
        String key = "123e4567-e89b-12d3-a456-426614174000";
        template.requestBodyAndHeader("line:multicast?retryKey=auto", new MulticastRequest(List.of(USER, "U0123456789abcdef0123456789abcdef"),
                List.of(TEXT), true, List.of("shipping_2026_11")), LineConstants.RETRY_KEY, key);
        LoggedRequest r = onlyRequest();
        assertThat(r.getHeader("X-Line-Retry-Key")).isEqualTo(key);
        assertThat(Json.read(r.getBodyAsString()).path("to")).hasSize(2);
        assertValidAgainstOpenApi(r);
    }

    @Test
    void broadcastSendsOnlyTheMessages() {
        line.stubFor(post("/v2/bot/message/broadcast").willReturn(aResponse().withStatus(200).withBody("{}")));
        template.requestBody("line:broadcast", new BroadcastRequest(List.of(TEXT), null));
        LoggedRequest r = onlyRequest();
        assertThat(Json.read(r.getBodyAsString())).isEqualTo(Json.read("{\"messages\":[" + TEXT + "]}"));
        assertValidAgainstOpenApi(r);
    }

    @Test
    void narrowcastWaitsForProgressToSucceed() {
        line.stubFor(post("/v2/bot/message/narrowcast").willReturn(aResponse().withStatus(202).withHeader("x-line-request-id", "nc-1").withBody("{}")));
        line.stubFor(get(urlPathEqualTo("/v2/bot/message/progress/narrowcast")).inScenario("progress").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(200).withBody("{\"phase\":\"waiting\"}")).willSetStateTo("sending"));
        line.stubFor(get(urlPathEqualTo("/v2/bot/message/progress/narrowcast")).inScenario("progress").whenScenarioStateIs("sending")
                .willReturn(aResponse().withStatus(200).withBody("{\"phase\":\"sending\",\"successCount\":10,\"failureCount\":0,\"targetCount\":120}"))
                .willSetStateTo("done"));
        line.stubFor(get(urlPathEqualTo("/v2/bot/message/progress/narrowcast")).inScenario("progress").whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(200).withBody("{\"phase\":\"succeeded\",\"successCount\":118,\"failureCount\":2,\"targetCount\":120,"
                        + "\"acceptedTime\":\"2026-11-27T10:00:00.000Z\",\"completedTime\":\"2026-11-27T10:00:09.000Z\",\"someNewField\":1}")));
        NarrowcastRequest body = new NarrowcastRequest(List.of(TEXT), Json.read("{\"type\":\"audience\",\"audienceGroupId\":5614991017776}"),
                null, new NarrowcastRequest.Limit(1000, null, null), null);

        Exchange out = template.request("line:narrowcast?retryKey=auto&waitForCompletion=true&progressInterval=20", e -> e.getMessage().setBody(body));

        assertThat(out.getException()).isNull();
        NarrowcastProgressResponse progress = out.getMessage().getBody(NarrowcastProgressResponse.class);
        assertThat(progress.phase()).isEqualTo("succeeded");
        assertThat(progress.successCount()).isEqualTo(118);
        assertThat(out.getMessage().getHeader(LineConstants.NARROWCAST_REQUEST_ID)).isEqualTo("nc-1");
        List<LoggedRequest> polls = line.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/v2/bot/message/progress/narrowcast")));
        assertThat(polls).hasSize(3).allSatisfy(p -> assertThat(p.getUrl()).endsWith("?requestId=nc-1"));
        LoggedRequest sent = line.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/v2/bot/message/narrowcast"))).get(0);
        assertValidAgainstOpenApi(sent);
        assertValidAgainstOpenApi(polls.get(0));
    }

    @Test
    void narrowcastThatFailsIsAFinalError() {
        line.stubFor(post("/v2/bot/message/narrowcast").willReturn(aResponse().withStatus(202).withHeader("x-line-request-id", "nc-2").withBody("{}")));
        line.stubFor(get(urlPathEqualTo("/v2/bot/message/progress/narrowcast")).willReturn(aResponse().withStatus(200)
                .withBody("{\"phase\":\"failed\",\"errorCode\":2,\"failedDescription\":\"not enough recipients\"}")));
        Exchange out = template.request("line:narrowcast?waitForCompletion=true&progressInterval=10",
                e -> e.getMessage().setBody(new NarrowcastRequest(List.of(TEXT), null, null, null, null)));
        assertThat(out.getException()).isInstanceOf(LineApiException.class);
        LineApiException e = (LineApiException) out.getException();
        assertThat(e.kind()).isEqualTo(LineErrorKind.FINAL);
        assertThat(e.getMessage()).contains("errorCode 2").contains("not enough recipients");
    }

    @Test
    void readOperationsParseLinesAnswers() {
        line.stubFor(get("/v2/bot/message/quota").willReturn(aResponse().withStatus(200).withBody("{\"type\":\"limited\",\"value\":1000}")));
        line.stubFor(get("/v2/bot/message/quota/consumption").willReturn(aResponse().withStatus(200).withBody("{\"totalUsage\":500}")));
        line.stubFor(get("/v2/bot/message/delivery/pnp/templated?date=20261126").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"ready\",\"success\":3}")));
        line.stubFor(get("/v2/bot/message/delivery/pnp?date=20261126").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"unready\"}")));

        assertThat(template.requestBody("line:quota", null, MessageQuotaResponse.class)).isEqualTo(new MessageQuotaResponse("limited", 1000L));
        assertThat(template.requestBody("line:quota-consumption", null, QuotaConsumptionResponse.class).totalUsage()).isEqualTo(500);
        assertThat(template.requestBodyAndHeader("line:pnp-template-stats", null, LineConstants.DATE, "20261126", NumberOfMessagesResponse.class))
                .isEqualTo(new NumberOfMessagesResponse("ready", 3L));
        assertThat(template.requestBodyAndHeader("line:pnp-flex-stats", null, LineConstants.DATE, "20261126", NumberOfMessagesResponse.class).status())
                .isEqualTo("unready");
        for (var e : line.getAllServeEvents()) {
            assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertValidAgainstOpenApi(e.getRequest());
        }
    }

    @Test
    void lonRefusesARetryKeyBeforeSendingAnything() {
        assertThatThrownBy(() -> template.requestBodyAndHeader("line:pnp-template", "{}", LineConstants.RETRY_KEY,
                "123e4567-e89b-12d3-a456-426614174000"))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("LINE does not accept X-Line-Retry-Key on pnp-template");
        assertThatThrownBy(() -> template.requestBody("line:pnp-flex?retryKey=auto", "{}"))
                .hasStackTraceContaining("LINE does not accept X-Line-Retry-Key on pnp-flex");
        assertThatThrownBy(() -> template.requestBodyAndHeader("line:push", "{}", LineConstants.DELIVERY_TAG, "0123456789abcdef0"))
                .hasRootCauseMessage("LINE accepts X-Line-Delivery-Tag only on LINE notification messages, not on push");
        assertThatThrownBy(() -> template.requestBodyAndHeader("line:pnp-template", "{}", LineConstants.DELIVERY_TAG, "short"))
                .hasRootCauseMessage("X-Line-Delivery-Tag must be 16 to 100 characters, was 5");
        assertThat(line.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | {"message":"The request body has 1 error(s)","details":[{"message":"May not be empty","property":"messages[0].text"}]} | FINAL
            401 | {"message":"Authentication failed due to the following reason: invalid token."}                                        | FINAL
            403 | {"message":"Access to this API is not available for your account"}                                                     | FINAL
            404 | {"message":"Not found"}                                                                                                 | FINAL
            409 | {"message":"The retry key is already accepted"}                                                                         | FINAL
            410 | {"message":"Gone"}                                                                                                      | FINAL
            413 | {"message":"Request Entity Too Large"}                                                                                  | FINAL
            415 | {"message":"The content type, text/plain, is not supported"}                                                            | FINAL
            422 | {"message":"Failed to send messages"}                                                                                   | FINAL
            429 | {"message":"Too many requests"}                                                                                         | RETRYABLE
            429 | {"message":"You have reached your monthly limit."}                                                                      | QUOTA_EXHAUSTED
            500 | {"message":"Internal server error"}                                                                                     | RETRYABLE
            502 | <html>bad gateway</html>                                                                                                | RETRYABLE
            503 |                                                                                                                         | RETRYABLE
            """)
    void eachLineStatusIsClassified(int status, String body, LineErrorKind kind) {
        line.stubFor(post("/v2/bot/message/push").willReturn(aResponse().withStatus(status).withHeader("x-line-request-id", "r-" + status)
                .withBody(body == null ? "" : body)));
        Exchange out = template.request("line:push", e -> e.getMessage().setBody(new PushMessageRequest(USER, List.of(TEXT), null, null)));
        assertThat(out.getException()).isInstanceOf(LineApiException.class);
        LineApiException e = (LineApiException) out.getException();
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.lineRequestId()).isEqualTo("r-" + status);
        assertThat(e.certainlyNotSent()).isFalse();
        if (body != null && body.startsWith("{")) {
            assertThat(e.lineMessage()).isEqualTo(Json.read(body).path("message").asText());
        }
    }

    @Test
    void conflictWithAnAcceptedRequestIdMeansAlreadySent() {
        line.stubFor(post("/v2/bot/message/push").willReturn(aResponse().withStatus(409).withHeader("x-line-request-id", "r-new")
                .withHeader("x-line-accepted-request-id", "r-first")
                .withBody("{\"message\":\"The retry key is already accepted\",\"sentMessages\":[{\"id\":\"461230966842064897\"}]}")));
        Exchange out = template.request("line:push?retryKey=auto", e -> e.getMessage().setBody(new PushMessageRequest(USER, List.of(TEXT), null, null)));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LineConstants.HTTP_STATUS)).isEqualTo(409);
        assertThat(out.getMessage().getHeader(LineConstants.ACCEPTED_REQUEST_ID)).isEqualTo("r-first");
        assertThat(out.getMessage().getHeader(LineConstants.SENT_MESSAGE_IDS)).isEqualTo(List.of("461230966842064897"));
    }

    @Test
    void aResetConnectionIsRetryableButMayHaveBeenSent() {
        line.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Exchange out = template.request("line:pnp-template", e -> e.getMessage().setBody("{\"to\":\"" + HASH + "\",\"templateKey\":\"k\"}"));
        LineApiException e = (LineApiException) out.getException();
        assertThat(e.kind()).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(e.certainlyNotSent()).isFalse();
    }

    @Test
    void aTimeoutIsRetryableButMayHaveBeenSent() {
        line.stubFor(post("/v2/bot/message/pnp/templated/push").willReturn(aResponse().withStatus(202).withFixedDelay(2000)));
        Exchange out = template.request("line:pnp-template?requestTimeout=200", e -> e.getMessage().setBody("{\"to\":\"" + HASH + "\",\"templateKey\":\"k\"}"));
        LineApiException e = (LineApiException) out.getException();
        assertThat(e.kind()).isEqualTo(LineErrorKind.RETRYABLE);
        assertThat(e.certainlyNotSent()).isFalse();
        assertThat(e.status()).isZero();
    }

    @Test
    void aRefusedConnectionCertainlyDidNotSend() throws Exception {
        CamelContext other = new DefaultCamelContext();
        LineComponent component = new LineComponent();
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        component.setChannels(new LineChannels(List.of(new LineChannel("default", TOKEN, "s", URI.create("http://127.0.0.1:" + closedPort), "JP", "ja"))));
        other.addComponent("line", component);
        other.start();
        try {
            Exchange out = other.createProducerTemplate().request("line:pnp-template", e -> e.getMessage().setBody("{}"));
            LineApiException e = (LineApiException) out.getException();
            assertThat(e.kind()).isEqualTo(LineErrorKind.RETRYABLE);
            assertThat(e.certainlyNotSent()).isTrue();
        } finally {
            other.stop();
        }
    }

    @Test
    void anUnknownChannelIsAClearError() {
        assertThatThrownBy(() -> template.requestBody("line:push?channel=nope", "{}")).hasRootCauseMessage("no LINE channel named 'nope' is configured");
    }
}
