package io.linehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.linehub.testsupport.HubProcesses.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster of real processes: three packaged hubs on one PostgreSQL (a schema of its own), each channel's LINE
 * sandbox in its own process allowing a budget of a few hundred requests a second (429 beyond it). Thousands of LINE
 * notification messages are submitted through the batch API of every hub; while they are sent, one hub is killed with
 * {@code kill -9}. Afterwards: every notification reached its channel's sandbox (twice only if the hub recorded it
 * UNCERTAIN), no 429, no sliding second at a sandbox over the channel's budget, and the killed hub's claims were taken
 * back by the others within 15 s and finished by them.
 *
 * <p>One channel ({@code default}, from the environment) for now; {@link #CHANNELS} takes a second one once the
 * channels file gives hubs several.
 */
// Not yet part of `mvn -B verify`: written this session, it has not passed a run yet (both runs ended on the loaded
// machine's timeouts, not on a cluster assertion). Run it with -Dhub.cluster-it=true (issue 14 stays open until it does).
@EnabledIfSystemProperty(named = "hub.cluster-it", matches = "true", disabledReason = "the cluster IT runs with -Dhub.cluster-it=true (issue 14, not yet passing)")
class ClusterIT {

    /** A LINE channel of the test, with its sandbox's budget (requests per second per endpoint). */
    record Channel(String name, String token, String secret, int budget) {
    }

    static final List<Channel> CHANNELS = List.of(new Channel("default", "cluster-token", "cluster-secret", 300));
    static final int HUBS = 3;
    static final int PER_HUB = 2_000;
    static final int BATCH = 100;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void threeHubsShareTheBudgetAndFinishAKilledHubsWork() throws Exception {
        // the processes' logs stay for a look afterwards
        Path dir = Path.of("target", "cluster-it");
        if (java.nio.file.Files.exists(dir)) {
            try (java.util.stream.Stream<Path> old = java.nio.file.Files.walk(dir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        java.nio.file.Files.createDirectories(dir);
        try (HubProcesses it = new HubProcesses(dir)) {
            int[] hubPorts = new int[HUBS];
            for (int h = 0; h < HUBS; h++) {
                hubPorts[h] = TestHub.freePort();
            }
            // LINE's delivery webhooks go to the last hub (any hub may take them; the first one is killed)
            Map<String, String> sandboxes = new HashMap<>();
            for (Channel ch : CHANNELS) {
                int port = TestHub.freePort();
                it.java("sandbox-" + ch.name(), Map.of(), "sandbox", "--port", String.valueOf(port), "--accept-all", "--max-recorded", "100000",
                        "--latency-ms", "20:10", "--delivery-delay-ms", "300", "--rate-per-second", String.valueOf(ch.budget()),
                        "--channel", ch.name() + ":" + ch.token() + ":" + ch.secret() + ":http://127.0.0.1:" + hubPorts[HUBS - 1] + "/webhook/line/" + ch.name());
                sandboxes.put(ch.name(), "http://127.0.0.1:" + port);
            }
            for (String line : sandboxes.values()) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(line + "/sandbox/requests").isArray());
            }
            Channel only = CHANNELS.get(0);
            List<Process> hubs = new ArrayList<>();
            for (int h = 0; h < HUBS; h++) {
                Map<String, String> env = new HashMap<>(Map.of("HUB_HTTP_PORT", String.valueOf(hubPorts[h]), "HUB_DATA_DIR", dir.resolve("data-" + h).toString(),
                        "HUB_DB_URL", it.url(), "HUB_DB_USER", HubProcesses.PG_USER, "HUB_DB_POOL_SIZE", "10", "HUB_SANDBOX", "off",
                        "LINE_API_BASE_URL", sandboxes.get(only.name()), "LINE_CHANNEL_ACCESS_TOKEN", only.token(), "LINE_CHANNEL_SECRET", only.secret()));
                env.putAll(Map.of("HUB_DELIVERY_RATE_PER_SECOND", String.valueOf(only.budget()), "HUB_DELIVERY_UNCERTAIN_AFTER", "PT5S",
                        "HUB_DELIVERY_UNCERTAIN_POLICY", "RESEND", "HUB_DELIVERY_UNDELIVERED_AFTER", "PT30S", "HUB_DELIVERY_HOUSEKEEPING_INTERVAL_MS", "1000"));
                hubs.add(it.java("hub-" + h, env));
            }
            for (int port : hubPorts) {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            }

            // every hub takes its part of the notifications through its batch API, side by side
            int total = HUBS * PER_HUB;
            ExecutorService submitters = Executors.newFixedThreadPool(HUBS);
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int h = 0; h < HUBS; h++) {
                int hub = h;
                accepted.add(submitters.submit(() -> submit(hubPorts[hub], hub * PER_HUB, PER_HUB)));
            }
            for (Future<Integer> f : accepted) {
                assertThat(f.get(15, TimeUnit.MINUTES)).isEqualTo(PER_HUB); // intake under a load of 40 on two cores took over 5 min
            }
            submitters.shutdown();

            // kill -9 the first hub while it holds claims
            Process victim = hubs.get(0);
            String victimNode = victim.pid() + "@%";
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> it.count("SELECT COUNT(*) FROM notification WHERE status IN ('SENT','DELIVERED')") >= total / 4
                            && it.count("SELECT COUNT(*) FROM notification WHERE status = 'SENDING' AND lease_owner LIKE '" + victimNode + "'") > 0);
            victim.destroyForcibly();
            victim.waitFor(30, TimeUnit.SECONDS);
            long killedAt = System.nanoTime();
            long heldByVictim = it.count("SELECT COUNT(*) FROM notification WHERE status = 'SENDING' AND lease_owner LIKE '" + victimNode + "'");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> it.count("SELECT COUNT(*) FROM notification WHERE status = 'SENDING' AND lease_owner LIKE '" + victimNode + "'") == 0);
            double takenBackAfter = (System.nanoTime() - killedAt) / 1e9;
            assertThat(takenBackAfter).as("the killed hub's %d claims were taken back after %.1f s", heldByVictim, takenBackAfter).isLessThan(15);

            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> it.count("SELECT COUNT(*) FROM notification WHERE status <> 'DELIVERED'") == 0);
            assertThat(it.count("SELECT COUNT(*) FROM notification")).isEqualTo(total);

            Set<String> uncertain = new HashSet<>();
            try (Connection c = it.db().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT DISTINCT n.recipient_hash FROM notification n JOIN notification_status_history h ON h.notification_id = n.id"
                            + " WHERE h.status = 'UNCERTAIN'")) {
                while (rs.next()) {
                    uncertain.add(rs.getString(1));
                }
            }
            for (Channel ch : CHANNELS) {
                String line = sandboxes.get(ch.name());
                Map<String, Integer> perLon = new HashMap<>();
                for (JsonNode s : get(line + "/sandbox/sent")) {
                    for (JsonNode r : s.path("recipients")) {
                        perLon.merge(r.asText(), 1, Integer::sum);
                    }
                }
                assertThat(perLon).as("every notification of channel %s reached its sandbox", ch.name()).hasSize(total);
                perLon.forEach((hash, n) -> {
                    if (n > 1) {
                        assertThat(uncertain).as("a LON sent twice must have been recorded UNCERTAIN").contains(hash);
                    }
                });
                List<Instant> arrivals = new ArrayList<>();
                int tooMany = 0;
                for (JsonNode r : get(line + "/sandbox/requests")) {
                    if (!r.path("path").asText().equals("/v2/bot/message/pnp/templated/push")) {
                        continue;
                    }
                    arrivals.add(Instant.parse(r.path("at").asText()));
                    if (r.path("status").asInt() == 429) {
                        tooMany++;
                    }
                }
                int busiest = RateBudgetIT.busiestWindow(arrivals);
                System.out.printf("cluster test, channel %s: %d requests by %d hubs, busiest sliding second %d (budget %d), %d x 429,"
                                + " %d LONs sent twice, %d claims of the killed hub taken back after %.1f s%n", ch.name(), arrivals.size(), HUBS, busiest,
                        ch.budget(), tooMany, perLon.values().stream().filter(n -> n > 1).count(), heldByVictim, takenBackAfter);
                assertThat(tooMany).as("429 answers from channel %s's sandbox", ch.name()).isZero();
                assertThat(busiest).as("requests in the busiest sliding second at channel %s's sandbox", ch.name()).isLessThanOrEqualTo(ch.budget());
            }
        }
    }

    /** Submits {@code count} LONs to one hub in batches; returns how many it accepted. */
    private static int submit(int port, int first, int count) throws Exception {
        int accepted = 0;
        for (int from = first; from < first + count; from += BATCH) {
            StringBuilder body = new StringBuilder("[");
            for (int i = from; i < Math.min(first + count, from + BATCH); i++) {
                body.append(i == from ? "" : ",").append("{\"idempotencyKey\":\"cluster-it-").append(i)
                        .append("\",\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+668").append(String.format("%08d", i))
                        .append("\"},\"data\":{\"orderNumber\":\"CL-").append(i).append("\",\"shippedDate\":\"2026-11-27\"}}");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/notifications/batch"))
                    .header("Authorization", "Bearer " + HubProcesses.API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).timeout(Duration.ofMinutes(2)).build();
            HttpResponse<String> r = null;
            // on a busy machine a hub may drop a slow request: sent again, its items' idempotency keys keep them single
            for (int attempt = 1; r == null; attempt++) {
                try {
                    r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                }
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            accepted += io.linehub.json.Json.read(r.body()).size();
        }
        return accepted;
    }
}
