package io.linehub.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.RecordedRequest;
import io.linehub.sandbox.SandboxChannel;
import io.linehub.sandbox.SandboxConfig;
import io.linehub.sandbox.TemplateKeys;
import io.linehub.testsupport.LogCapture;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LINE's short-lived tokens: a channel configured with channelId + channelSecret sends with tokens the hub issues itself
 * (POST /oauth2/v3/token, checked by the sandbox against LINE's schema), renews them before they expire, and when LINE
 * refuses one as expired (401) renews it and sends again: the notification never fails for it. Tokens never reach the log.
 */
class ChannelTokensTest {

    static final String CHANNEL_ID = "1657000123";
    static final String SECRET = "th-channel-secret-4411";
    static final Duration LIFETIME = Duration.ofSeconds(3);
    static final String LON = "{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"081-234-%04d\"},\"data\":{\"orderNumber\":\"T-%d\",\"shippedDate\":\"2026-11-27\"}}";

    /** Real time, shifted by hand: the sandbox's tokens expire in real time, or at once when the clock jumps. */
    static final class ShiftedClock extends Clock {
        final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift.get());
        }
    }

    @TempDir
    static Path dir;
    static final ShiftedClock CLOCK = new ShiftedClock();
    static LineSandbox line;
    static TestHub hub;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        line = LineSandbox.start(SandboxConfig.builder().port(0).clock(CLOCK).acceptAllNumbers(true).templateKeys(TemplateKeys.ANY)
                .tokenLifetime(LIFETIME)
                .channel(new SandboxChannel("default", "default-token-1", "default-secret-1", null))
                .channel(new SandboxChannel("th-main", null, SECRET, null, CHANNEL_ID))
                .build());
        Path channels = dir.resolve("channels.yaml");
        Files.writeString(channels, """
                channels:
                  - {name: default, country: JP, accessToken: default-token-1, channelSecret: default-secret-1, apiBaseUrl: "%1$s"}
                  - name: th-main
                    country: TH
                    channelId: "%2$s"
                    channelSecret: %3$s
                    apiBaseUrl: "%1$s"
                    templateKeys:
                      shipping_complete: {templateKey: shipment_done_th, items: {shippedDate: date_th, orderNumber: number_th}}
                """.formatted(line.baseUrl(), CHANNEL_ID, SECRET));
        logs = new LogCapture();
        hub = TestHub.start(Files.createDirectories(dir.resolve("data")), Map.of("hub.sandbox", "off", "hub.channels.file", channels.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (logs != null) {
            logs.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (line != null) {
            line.close();
        }
    }

    private static List<String> send(int from, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            HttpResponse<String> r = hub.post("/api/notifications", LON.formatted(i, i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(Json.read(r.body()).path("id").asText());
        }
        return ids;
    }

    private static void allSentOnce(List<String> ids) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String id : ids) {
                if (!hub.status(id).equals("SENT")) {
                    return false;
                }
            }
            return true;
        });
        for (String id : ids) {
            JsonNode n = hub.notification(id);
            assertThat(n.path("channel").asText()).isEqualTo("th-main");
            assertThat(n.path("attemptCount").asInt()).as("one attempt, never a failure: %s", n).isEqualTo(1);
            assertThat(n.path("attempts").get(0).path("httpStatus").asInt()).isEqualTo(202);
        }
    }

    @Test
    void expiredTokenIsRenewedAndTheNotificationSentNeverFailed() throws Exception {
        allSentOnce(send(1, 3));
        long issued = line.tokensIssued("th-main");
        assertThat(issued).isGreaterThanOrEqualTo(1);
        int refusedBefore = refused();

        // LINE's clock jumps an hour: every token the hub holds is expired there, while the hub still thinks it fresh
        CLOCK.shift.updateAndGet(d -> d.plus(Duration.ofHours(1)));
        List<String> ids = send(100, 10);
        allSentOnce(ids);
        assertThat(refused()).as("LINE refused the expired token at least once").isGreaterThan(refusedBefore);
        assertThat(line.tokensIssued("th-main")).isGreaterThan(issued);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE status IN ('FAILED', 'UNCERTAIN', 'RETRY_WAIT')")).isZero();
    }

    @Test
    void tokensAreRenewedBeforeTheyExpire() throws Exception {
        long before = line.tokensIssued("th-main");
        // three waves over more than two lifetimes: each wave finds the last token past its renewal time
        for (int wave = 0; wave < 3; wave++) {
            allSentOnce(send(200 + wave * 10, 3));
            Thread.sleep(LIFETIME.toMillis());
        }
        assertThat(line.tokensIssued("th-main") - before).isGreaterThanOrEqualTo(2);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE status IN ('FAILED', 'UNCERTAIN')")).isZero();
    }

    @Test
    void neitherTokensNorTheSecretAreLogged() throws Exception {
        allSentOnce(send(300, 1));
        String log = logs.all();
        assertThat(log).contains("channel th-main: channel access token issued");
        assertThat(log).doesNotContain(SECRET).doesNotContain("sbx.");
        // the sandbox's request log keeps neither
        for (RecordedRequest r : line.requests()) {
            assertThat(String.valueOf(r.body()) + r.responseBody() + r.headers()).doesNotContain(SECRET).doesNotContain("sbx.");
        }
    }

    @Test
    void theSandboxIssuesTokensOnlyForValidRequestsAndRefusesThemOnceExpired() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> noSecret = token(http, "grant_type=client_credentials&client_id=" + CHANNEL_ID);
        assertThat(noSecret.statusCode()).isEqualTo(400);
        assertThat(Json.read(noSecret.body()).path("error_description").asText()).contains("client_secret");
        HttpResponse<String> badGrant = token(http, "grant_type=password&client_id=" + CHANNEL_ID + "&client_secret=" + SECRET);
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(Json.read(badGrant.body()).path("error_description").asText()).contains("grant_type");
        HttpResponse<String> wrongSecret = token(http, "grant_type=client_credentials&client_id=" + CHANNEL_ID + "&client_secret=nope");
        assertThat(wrongSecret.statusCode()).isEqualTo(400);
        assertThat(Json.read(wrongSecret.body()).path("error_description").asText()).isEqualTo("Invalid 'client_credentials'.");

        HttpResponse<String> ok = token(http, "grant_type=client_credentials&client_id=" + CHANNEL_ID + "&client_secret=" + SECRET);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode t = Json.read(ok.body());
        assertThat(t.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.path("expires_in").asLong()).isEqualTo(LIFETIME.toSeconds());
        String token = t.path("access_token").asText();
        assertThat(quota(http, token)).isEqualTo(200);
        CLOCK.shift.updateAndGet(d -> d.plus(LIFETIME));
        assertThat(quota(http, token)).as("expired: 401 as LINE").isEqualTo(401);
    }

    private static HttpResponse<String> token(HttpClient http, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(line.baseUrl() + "/oauth2/v3/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int quota(HttpClient http, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(line.baseUrl() + "/v2/bot/message/quota")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int refused() {
        return (int) line.requests().stream().filter(r -> r.status() == 401 && r.path().startsWith("/v2/bot/message/pnp")).count();
    }
}
