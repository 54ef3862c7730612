package io.linehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static io.linehub.testsupport.HubProcesses.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 20,000 notifications for one channel, the hub and LINE's sandbox each in its own process as in production:
 * counted by the sandbox per second of arrival, the hub never exceeds its budget for the endpoint and LINE never
 * answers 429. The budget is set below what the hub can do on this machine so that the throttle is what binds.
 */
class RateBudgetIT {

    static final int N = 20_000;
    static final int BUDGET = 700;

    @TempDir
    Path dir;

    @Test
    void twentyThousandLonsStayWithinTheBudgetInEverySecond() throws Exception {
        try (HubProcesses it = new HubProcesses(dir)) {
            int hubPort = TestHub.freePort();
            int linePort = TestHub.freePort();
            it.java("sandbox", Map.of(), "sandbox", "--port", String.valueOf(linePort), "--accept-all", "--max-recorded", "50000",
                    "--latency-ms", "20:10", "--delivery-delay-ms", "600000", "--channel", "default:rate-token:rate-secret");
            String line = "http://127.0.0.1:" + linePort;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(line + "/sandbox/requests").isArray());
            it.queue(N, 0);
            it.java("hub", Map.of("HUB_HTTP_PORT", String.valueOf(hubPort), "HUB_DATA_DIR", dir.resolve("data").toString(),
                    "HUB_DB_URL", it.url(), "HUB_DB_USER", HubProcesses.PG_USER, "HUB_SANDBOX", "off", "LINE_API_BASE_URL", line,
                    "LINE_CHANNEL_ACCESS_TOKEN", "rate-token", "LINE_CHANNEL_SECRET", "rate-secret",
                    "HUB_DELIVERY_RATE_PER_SECOND", String.valueOf(BUDGET)));
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> it.count("SELECT COUNT(*) FROM notification WHERE status = 'SENT'") == N);

            TreeMap<Long, Integer> perSecond = new TreeMap<>();
            int tooMany = 0;
            for (JsonNode r : get(line + "/sandbox/requests")) {
                if (!r.path("path").asText().equals("/v2/bot/message/pnp/templated/push")) {
                    continue;
                }
                perSecond.merge(Instant.parse(r.path("at").asText()).getEpochSecond(), 1, Integer::sum);
                if (r.path("status").asInt() == 429) {
                    tooMany++;
                }
            }
            assertThat(perSecond.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(N);
            assertThat(tooMany).isZero();
            assertThat(perSecond.values()).as("requests per second at LINE").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(BUDGET));
            System.out.printf("rate test: %d requests in %d seconds, busiest second %d (budget %d)%n", N, perSecond.size(),
                    perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0), BUDGET);
        }
    }
}
