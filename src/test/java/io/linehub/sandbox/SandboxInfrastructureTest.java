package io.linehub.sandbox;

import static io.linehub.sandbox.SandboxClient.TH_HASH;
import static io.linehub.sandbox.SandboxClient.TOKEN;
import static io.linehub.sandbox.SandboxClient.minimalBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.linehub.testsupport.LineOpenApi;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Configuration, helpers, IDs, throughput: the parts around the LINE endpoints. */
class SandboxInfrastructureTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("SandboxConfig defaults are the documented ones")
    void configDefaults() {
        SandboxConfig c = SandboxConfig.builder().build();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.channels()).isEmpty();
        assertThat(c.deliveryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.undeliveredShare()).isZero();
        assertThat(c.acceptAllNumbers()).isFalse();
        assertThat(c.maxRecordedRequests()).isEqualTo(100_000);
        assertThat(c.clock()).isEqualTo(Clock.systemUTC());
        assertThat(c.randomSeed()).isEqualTo(42L);
    }

    @Test
    @DisplayName("SandboxConfig refuses nonsense: share outside 0..1, negative delay, one token on two channels")
    void configValidation() {
        assertThatThrownBy(() -> SandboxConfig.builder().undeliveredShare(1.5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxConfig.builder().deliveryDelay(Duration.ofMillis(-1)).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxConfig.builder()
                .channel(new SandboxChannel("a", "t", "s", null))
                .channel(new SandboxChannel("b", "t", "s", null)).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("SandboxChannel.toString and IllegalArgument messages never reveal tokens, secrets or full hashes")
    void noSecretsInStrings() {
        SandboxChannel ch = new SandboxChannel("a", "tok-SECRET-1", "sec-SECRET-2", null);
        assertThat(ch.toString()).doesNotContain("SECRET");
        assertThat(SandboxConfig.builder().channel(ch).build().toString()).doesNotContain("SECRET");
        PhoneDirectory d = new PhoneDirectory();
        assertThatThrownBy(() -> d.add(TH_HASH.toUpperCase()))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TH_HASH.toUpperCase()));
    }

    @Test
    @DisplayName("webhook event IDs are 26 Crockford base32 characters, unique even within one millisecond, time-prefixed")
    void eventIds() {
        EventIds ids = new EventIds(42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next(1_650_590_038_721L);
            assertThat(id).matches("^[0-9A-HJKMNP-TV-Z]{26}$");
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
        // the ULID spec's example: ulid(1469918176385) = "01ARYZ6S41TSV4RRFFQ69G5FAV" (time part = first 10 chars)
        assertThat(new EventIds(1).next(1_469_918_176_385L)).startsWith("01ARYZ6S41");
    }

    @Test
    @DisplayName("the OpenAPI helper used by the tests is live: it rejects a request the sandbox rejects")
    void openApiValidatorIsLive() {
        java.util.Map<String, String> h = SandboxClient.jsonHeaders();
        assertThat(LineOpenApi.validate("POST", SandboxClient.PATH, h, minimalBody(TH_HASH))).isEmpty();
        assertThat(LineOpenApi.validate("POST", SandboxClient.PATH, h, minimalBody("not-a-hash"))).isNotEmpty();
    }

    @Test
    @DisplayName("GET /sandbox/requests and /sandbox/webhooks return the records as JSON arrays (tokens masked)")
    void helperEndpoints() throws Exception {
        try (WebhookReceiver hub = new WebhookReceiver();
             LineSandbox sandbox = LineSandbox.start(SandboxConfig.builder()
                     .channel(new SandboxChannel("a", TOKEN, "s", hub.url()))
                     .deliveryDelay(Duration.ofMillis(50))
                     .acceptAllNumbers(true).build())) {
            SandboxClient c = new SandboxClient(sandbox);
            assertThat(c.push(minimalBody(TH_HASH)).statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.webhooks().size() == 1);

            HttpResponse<String> r = c.get("/sandbox/requests");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain(TOKEN);
            JsonNode arr = JSON.readTree(r.body());
            assertThat(arr.isArray()).isTrue();
            assertThat(arr).hasSize(1); // helper calls are not recorded
            assertThat(arr.get(0).get("status").asInt()).isEqualTo(202);
            assertThat(arr.get(0).get("channel").asText()).isEqualTo("a");
            assertThat(arr.get(0).get("headers").get("Authorization").asText()).isEqualTo("Bearer ***");
            assertThat(arr.get(0).get("at").asText()).endsWith("Z");

            JsonNode hooks = JSON.readTree(c.get("/sandbox/webhooks").body());
            assertThat(hooks).hasSize(1);
            assertThat(hooks.get(0).get("hubStatus").asInt()).isEqualTo(200);
            assertThat(hooks.get(0).get("signature").asText()).isEqualTo(sandbox.webhooks().get(0).signature());
        }
    }

    @Test
    @DisplayName("2,000 concurrent requests are all answered and recorded, with unique request ids")
    void concurrentLoad() {
        try (LineSandbox sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", TOKEN, "s", null)).acceptAllNumbers(true).build())) {
            int n = 2000;
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String to = SandboxClient.sha256Hex("+668" + (10_000_000 + i));
                HttpRequest req = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + SandboxClient.PATH))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(minimalBody(to), StandardCharsets.UTF_8))
                        .build();
                futures.add(SandboxClient.HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.join();
                assertThat(r.statusCode()).isEqualTo(202);
                ids.add(r.headers().firstValue("x-line-request-id").orElseThrow());
            }
            assertThat(ids).hasSize(n);
            assertThat(sandbox.requests()).hasSize(n);
        }
    }
}
