package io.linehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.linehub.testsupport.HubProcesses.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 20,000 or 30,000 notifications for one channel, the hub and LINE's sandbox each in its own process as in production:
 * counted by the sandbox at arrival, in every calendar second and in every sliding one-second window, the hub never
 * exceeds its budget for the endpoint and LINE never answers 429, in both rate windows. The budget is set below
 * what the hub can do on this machine so that the throttle is what binds; LINE's latency varies (20 ms plus up to
 * 10 ms) as on a real network.
 *
 * <p>estimated-arrival (the default) credits each request with the fastest round trip seen, less 2 ms, once that
 * round trip has settled: any later stall before the sandbox counts a request (the hub's threads, the sandbox's event
 * loop, the machine being busy with the build) also delays that request's answer, and so its permit. Before it
 * settled, while both JVMs warm up, round trips of hundreds of milliseconds made this test fail (706-715); with the
 * rule at ten seconds it failed once more in CI (714), so it is twenty seconds and 2,000 answers now.
 */
class RateBudgetIT {

    static final int BUDGET = 700;

    @TempDir
    Path dir;

    /** 30,000: the round trips settle after twenty seconds, so about twenty more at the budget are credited. */
    @Test
    void thirtyThousandLonsStayWithinTheBudgetInEverySecondWithEstimatedArrival() throws Exception {
        run("estimated-arrival", 30_000);
    }

    @Test
    void twentyThousandLonsStayWithinTheBudgetInEverySecondAfterTheAnswer() throws Exception {
        run("after-answer", 20_000);
    }

    private void run(String window, int n) throws Exception {
        try (HubProcesses it = new HubProcesses(dir)) {
            int hubPort = TestHub.freePort();
            int linePort = TestHub.freePort();
            it.java("sandbox", Map.of(), "sandbox", "--port", String.valueOf(linePort), "--accept-all", "--max-recorded", "50000",
                    "--latency-ms", "20:10", "--delivery-delay-ms", "600000", "--channel", "default:rate-token:rate-secret");
            String line = "http://127.0.0.1:" + linePort;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(line + "/sandbox/requests").isArray());
            it.queue(n, 0);
            Map<String, String> env = new java.util.HashMap<>(Map.of("HUB_HTTP_PORT", String.valueOf(hubPort), "HUB_DATA_DIR", dir.resolve("data").toString(),
                    "HUB_DB_URL", it.url(), "HUB_DB_USER", HubProcesses.PG_USER, "HUB_SANDBOX", "off", "LINE_API_BASE_URL", line,
                    "LINE_CHANNEL_ACCESS_TOKEN", "rate-token", "LINE_CHANNEL_SECRET", "rate-secret"));
            env.put("HUB_DELIVERY_RATE_PER_SECOND", String.valueOf(BUDGET));
            env.put("HUB_DELIVERY_RATE_WINDOW", window);
            it.java("hub", env);
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> it.count("SELECT COUNT(*) FROM notification WHERE status = 'SENT'") == n);

            TreeMap<Long, Integer> perSecond = new TreeMap<>();
            List<Instant> arrivals = new ArrayList<>();
            int tooMany = 0;
            for (JsonNode r : get(line + "/sandbox/requests")) {
                if (!r.path("path").asText().equals("/v2/bot/message/pnp/templated/push")) {
                    continue;
                }
                Instant at = Instant.parse(r.path("at").asText());
                arrivals.add(at);
                perSecond.merge(at.getEpochSecond(), 1, Integer::sum);
                if (r.path("status").asInt() == 429) {
                    tooMany++;
                }
            }
            assertThat(perSecond.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
            assertThat(tooMany).isZero();
            assertThat(perSecond.values()).as("requests per second at LINE").allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(BUDGET));
            int busiestWindow = busiestWindow(arrivals);
            // when it was, from the first request: in the warm-up (before the round trips settle) or after
            double busiestAt = Duration.between(Collections.min(arrivals), busiestWindowStart(arrivals)).toMillis() / 1000.0;
            assertThat(busiestWindow).as("requests in the busiest sliding second at LINE (it began %.1f s after the first request)", busiestAt)
                    .isLessThanOrEqualTo(BUDGET);
            System.out.printf("rate test (%s): %d requests in %d seconds, busiest second %d, busiest sliding second %d from %.1f s (budget %d)%n",
                    window, n, perSecond.size(), perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0), busiestWindow,
                    busiestAt, BUDGET);
        }
    }

    /** Most arrivals in any window [t, t + 1 s) that starts at an arrival. */
    static int busiestWindow(List<Instant> arrivals) {
        return (int) busiest(arrivals)[0];
    }

    /** Where the (first) busiest window of {@link #busiestWindow} begins. */
    static Instant busiestWindowStart(List<Instant> arrivals) {
        List<Instant> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        return sorted.get((int) busiest(arrivals)[1]);
    }

    /** {most arrivals in a window [t, t + 1 s) starting at an arrival, the index in time order of its first arrival}. */
    private static long[] busiest(List<Instant> arrivals) {
        List<Instant> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        int most = 0;
        int mostFrom = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).plusSeconds(1).isAfter(sorted.get(to))) {
                from++;
            }
            if (to - from + 1 > most) {
                most = to - from + 1;
                mostFrom = from;
            }
        }
        return new long[] {most, mostFrom};
    }
}
