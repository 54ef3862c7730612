package io.linehub.sandbox;

import static io.linehub.sandbox.SandboxClient.JP_HASH;
import static io.linehub.sandbox.SandboxClient.SECRET;
import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.jsonHeaders;
import static io.linehub.sandbox.SandboxClient.minimalBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The delivery completion webhook (README §10.2, §10.4) after a 202. */
class DeliveryWebhookTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00.123Z");
    static final Duration DELAY = Duration.ofMillis(100);

    WebhookReceiver hub;
    LineSandbox sandbox;
    SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        hub = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        hub.close();
    }

    void startSandbox(double undeliveredShare, URI webhookUrl) {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, webhookUrl))
                .deliveryDelay(DELAY)
                .undeliveredShare(undeliveredShare)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build());
        sandbox.directory().add(TH_HASH);
        sandbox.directory().add(JP_HASH);
        client = new SandboxClient(sandbox);
    }

    /** HMAC computed here, independently of {@link WebhookSigner}. */
    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    @DisplayName("a 202 with X-Line-Delivery-Tag leads to one signed delivery webhook carrying the tag, in LINE's shape")
    void webhookWithTag() throws Exception {
        startSandbox(0.0, hub.url());
        Map<String, String> h = jsonHeaders();
        h.put("X-Line-Delivery-Tag", "order-42-0000000000001");
        long sentAt = System.nanoTime();
        assertThat(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).as("sent after the delivery delay").isGreaterThanOrEqualTo(DELAY);
        WebhookReceiver.Received w = hub.received().get(0);

        assertThat(w.header("x-line-signature")).isEqualTo(hmac(SECRET, w.body()));
        assertThat(w.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(w.header("User-Agent")).isEqualTo("LineBotWebhook/2.0");

        JsonNode root = JSON.readTree(w.body());
        assertThat(root.get("destination").asText()).matches("^U[0-9a-f]{32}$");
        assertThat(root.get("events")).hasSize(1);
        JsonNode e = root.get("events").get(0);
        assertThat(e.get("type").asText()).isEqualTo("delivery");
        assertThat(e.get("delivery").get("data").asText()).isEqualTo("order-42-0000000000001");
        assertThat(e.get("webhookEventId").asText()).matches("^[0-9A-HJKMNP-TV-Z]{26}$");
        assertThat(e.get("deliveryContext").get("isRedelivery").asBoolean()).isFalse();
        assertThat(e.get("deliveryContext").get("isRedelivery").isBoolean()).isTrue();
        assertThat(e.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(e.get("timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(e.get("mode").asText()).isEqualTo("active");
        assertThat(e.has("source")).as("no source since 2025-01-28").isFalse();
        // exactly LINE's field set
        assertThat(fieldNames(root)).containsExactly("destination", "events");
        assertThat(fieldNames(e)).containsExactly("type", "delivery", "webhookEventId", "deliveryContext", "timestamp", "mode");

        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.webhooks().size() == 1);
        SentWebhook sent = sandbox.webhooks().get(0);
        assertThat(sent.channel()).isEqualTo("channel-a");
        assertThat(sent.body()).isEqualTo(w.text());
        assertThat(sent.signature()).isEqualTo(w.header("x-line-signature"));
        assertThat(sent.hubStatus()).isEqualTo(200);
        assertThat(sent.at()).isEqualTo(NOW);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    @DisplayName("without X-Line-Delivery-Tag the webhook carries the hashed number; event ids are unique; destination is stable")
    void webhookWithHash() throws Exception {
        startSandbox(0.0, hub.url());
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        assertThat(client.push(minimalBody(JP_HASH)).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(5)).until(() -> events().size() == 2);
        List<JsonNode> bodies = bodies();
        List<JsonNode> events = events();
        assertThat(events).extracting(e -> e.get("delivery").get("data").asText()).containsExactlyInAnyOrder(TH_HASH, JP_HASH);
        assertThat(events).extracting(e -> e.get("webhookEventId").asText()).doesNotHaveDuplicates();
        assertThat(bodies).extracting(b -> b.get("destination").asText()).containsOnly(ChannelState.botUserIdFor("channel-a"));
    }

    /** Every request's body (each signature checked), in arrival order. */
    List<JsonNode> bodies() {
        return hub.received().stream().map(r -> {
            try {
                assertThat(r.header("x-line-signature")).isEqualTo(hmac(SECRET, r.body()));
                return JSON.readTree(r.body());
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }).collect(Collectors.toList());
    }

    /** Every event received, over all requests. */
    List<JsonNode> events() {
        List<JsonNode> events = new java.util.ArrayList<>();
        bodies().forEach(b -> b.get("events").forEach(events::add));
        return events;
    }

    @Test
    @DisplayName("delivery events due together share a webhook request, at most webhookBatchMax each, each in LINE's shape")
    void dueDeliveriesShareARequest() throws Exception {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, hub.url()))
                .deliveryDelay(DELAY).webhookBatching(4, Duration.ofMillis(200))
                .acceptAllNumbers(true).validateRequests(false).build());
        client = new SandboxClient(sandbox);
        Map<String, String> h = jsonHeaders();
        for (int i = 0; i < 10; i++) {
            h.put("X-Line-Delivery-Tag", "batch-tag-" + String.format("%012d", i));
            assertThat(client.post(SandboxClient.PATH, h, minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events().size() == 10);
        Thread.sleep(300);
        List<JsonNode> bodies = bodies();
        // ten events sent within the 200 ms window: 4 + 4 + 2, not ten requests
        assertThat(bodies).hasSizeLessThanOrEqualTo(4).allSatisfy(b -> assertThat(b.get("events").size()).isBetween(1, 4));
        // (requests may overtake one another, as LINE's do: README §10.1)
        assertThat(events()).extracting(e -> e.get("delivery").get("data").asText())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "batch-tag-" + String.format("%012d", i)).toList());
        assertThat(events()).extracting(e -> e.get("webhookEventId").asText()).doesNotHaveDuplicates();
        assertThat(events()).allSatisfy(e -> assertThat(fieldNames(e))
                .containsExactly("type", "delivery", "webhookEventId", "deliveryContext", "timestamp", "mode"));
        assertThat(sandbox.webhooks()).hasSize(bodies.size()).allSatisfy(w -> assertThat(w.hubStatus()).isEqualTo(200));
    }

    @Test
    @DisplayName("with redelivery on, a webhook request the hub answered with an error is sent again, same events, isRedelivery true; off: once")
    void unansweredWebhooksAreRedeliveredWhenRedeliveryIsOn() throws Exception {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, hub.url()))
                .deliveryDelay(DELAY).webhookRedelivery(true)
                .acceptAllNumbers(true).validateRequests(false).build());
        client = new SandboxClient(sandbox);
        hub.answer(500);
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        hub.answer(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 2);
        List<WebhookReceiver.Received> got = hub.received();
        JsonNode first = JSON.readTree(got.get(0).body()).get("events").get(0);
        JsonNode again = JSON.readTree(got.get(1).body()).get("events").get(0);
        assertThat(first.get("deliveryContext").get("isRedelivery").asBoolean()).isFalse();
        assertThat(again.get("deliveryContext").get("isRedelivery").asBoolean()).isTrue();
        assertThat(again.get("webhookEventId").asText()).isEqualTo(first.get("webhookEventId").asText());
        assertThat(got.get(1).header("x-line-signature")).isEqualTo(hmac(SECRET, got.get(1).body()));
        Thread.sleep(2_500);
        assertThat(hub.received()).as("answered 200: not sent a third time").hasSize(2);
        sandbox.close();

        // off (LINE's default): an error answer is final
        hub.answer(500);
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, hub.url()))
                .deliveryDelay(DELAY).acceptAllNumbers(true).validateRequests(false).build());
        client = new SandboxClient(sandbox);
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 3);
        Thread.sleep(1_500);
        assertThat(hub.received()).hasSize(3);
    }

    @Test
    @DisplayName("webhookBatching(1, 0): one delivery event per request, as before")
    void oneEventPerRequestWhenAskedFor() throws Exception {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, hub.url()))
                .deliveryDelay(DELAY).webhookBatching(1, Duration.ZERO)
                .acceptAllNumbers(true).validateRequests(false).build());
        client = new SandboxClient(sandbox);
        for (int i = 0; i < 3; i++) {
            assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 3);
        assertThat(bodies()).allSatisfy(b -> assertThat(b.get("events")).hasSize(1));
    }

    @Test
    @DisplayName("rejected requests (422, 400) send no webhook")
    void noWebhookForRejected() throws Exception {
        startSandbox(0.0, hub.url());
        assertThat(client.push(minimalBody(SandboxClient.sha256Hex("+66899999999"))).statusCode()).isEqualTo(422);
        assertThat(client.push(minimalBody("bad")).statusCode()).isEqualTo(400);
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202); // control: this one arrives
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.received().size() == 1);
        Thread.sleep(300);
        assertThat(hub.received()).hasSize(1);
        assertThat(JSON.readTree(hub.received().get(0).body()).get("events").get(0).get("delivery").get("data").asText()).isEqualTo(TH_HASH);
    }

    @Test
    @DisplayName("undeliveredShare=1.0: 202 but no delivery webhook is ever sent")
    void undeliveredShareOne() throws Exception {
        startSandbox(1.0, hub.url());
        for (int i = 0; i < 5; i++) {
            assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        }
        Thread.sleep(DELAY.toMillis() * 5);
        assertThat(hub.received()).isEmpty();
        assertThat(sandbox.webhooks()).isEmpty();
    }

    @Test
    @DisplayName("undeliveredShare=0.5 with a fixed seed drops some but not all webhooks")
    void undeliveredShareHalf() throws Exception {
        startSandbox(0.5, hub.url());
        int n = 40;
        for (int i = 0; i < n; i++) {
            assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        }
        Thread.sleep(DELAY.toMillis() * 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.webhooks().size() == hub.received().size());
        assertThat(events().size()).isBetween(5, 35);
    }

    @Test
    @DisplayName("the hub's status is recorded: 500 as 500, an unreachable hub as -1")
    void hubStatusRecorded() throws Exception {
        startSandbox(0.0, hub.url());
        hub.answer(500);
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.webhooks().size() == 1);
        assertThat(sandbox.webhooks().get(0).hubStatus()).isEqualTo(500);
        sandbox.close();

        URI closed = hub.url();
        hub.close();
        startSandbox(0.0, closed);
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.webhooks().size() == 1);
        assertThat(sandbox.webhooks().get(0).hubStatus()).isEqualTo(-1);
    }

    @Test
    @DisplayName("the hub's answer time is measured per webhook request: percentiles, and LINE's 2 s as timed out")
    void hubAnswerTimesMeasured() throws Exception {
        startSandbox(0.0, hub.url());
        hub.answerAfter(Duration.ofMillis(300));
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.webhooks().size() == 1);
        Map<String, Object> times = sandbox.webhookAnswerTimes();
        assertThat(times.get("requests")).isEqualTo(1);
        assertThat((Double) times.get("p50Ms")).isBetween(300.0, 1_900.0);
        assertThat(times.get("timedOut")).isEqualTo(0);

        hub.answerAfter(Duration.ofMillis(2_500)); // later than LINE waits
        assertThat(client.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.webhooks().size() == 2);
        times = sandbox.webhookAnswerTimes();
        assertThat(times.get("requests")).isEqualTo(2);
        assertThat(times.get("timedOut")).isEqualTo(1);
        assertThat((Double) times.get("maxMs")).isGreaterThanOrEqualTo(2_000.0);
        assertThat(sandbox.webhooks().get(1).hubStatus()).isEqualTo(-1);

        // the helper endpoint shows them, and DELETE starts the count again
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        URI answers = URI.create(sandbox.baseUrl() + "/sandbox/webhook-answers");
        String json = http.send(java.net.http.HttpRequest.newBuilder(answers).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(json).contains("\"requests\":2").contains("\"timedOut\":1");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(answers).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(204);
        assertThat(sandbox.webhookAnswerTimes().get("requests")).isEqualTo(0);
    }

    @Test
    @DisplayName("close() drops webhooks that are still pending")
    void closeDropsPending() throws Exception {
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("channel-a", TOKEN, SECRET, hub.url()))
                .deliveryDelay(Duration.ofMillis(300))
                .acceptAllNumbers(true)
                .build());
        assertThat(new SandboxClient(sandbox).push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
        sandbox.close();
        Thread.sleep(600);
        assertThat(hub.received()).isEmpty();
    }

    @Test
    @DisplayName("WebhookSigner matches LINE's published test vector (README §10.2)")
    void lineSignatureVector() {
        String body = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[]}";
        assertThat(WebhookSigner.sign("8c570fa6dd201bb328f1c1eac23a96d8", body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=");
    }
}
