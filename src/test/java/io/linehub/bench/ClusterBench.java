package io.linehub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.json.Json;
import io.linehub.testsupport.HubProcesses;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster benchmark steps, called by bench/cluster.sh:
 * <ul>
 *   <li>{@code migrate URL}: the hub's schema;</li>
 *   <li>{@code queue URL N ch1,ch2,…}: N LINE notification messages per channel straight into the outbox (one
 *   transaction; recipients of their own per channel);</li>
 *   <li>{@code report URL SANDBOX BUDGET FROM}: the aggregate send rate of the attempts after the first FROM (their
 *   middle 80 %, from the outbox's own timestamps), and per channel, from the sandbox's log of arrivals, its requests,
 *   its busiest sliding second against BUDGET and its 429s.</li>
 * </ul>
 */
public final class ClusterBench {

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource db = Database.open("cluster-bench", args[1], "postgres", null, 2)) {
            switch (args[0]) {
                case "migrate" -> Database.migrate(db);
                case "queue" -> {
                    int n = Integer.parseInt(args[2]);
                    String[] channels = args[3].split(",");
                    for (int c = 0; c < channels.length; c++) {
                        HubProcesses.queue(db, channels[c], c * n, n, 0);
                    }
                }
                case "report" -> report(db, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                default -> throw new IllegalArgumentException("migrate | queue | report");
            }
        }
    }

    private static void report(HikariDataSource db, String sandbox, int budget, int from) throws Exception {
        List<OffsetDateTime> attempts = new ArrayList<>();
        int tooManyRecorded = 0;
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT started_at, http_status FROM notification_attempt ORDER BY started_at")) {
            int i = 0;
            while (rs.next()) {
                if (i++ >= from) {
                    attempts.add(rs.getObject(1, OffsetDateTime.class));
                }
                if (rs.getInt(2) == 429) {
                    tooManyRecorded++;
                }
            }
        }
        int first10 = attempts.size() / 10;
        int last10 = attempts.size() * 9 / 10;
        double seconds = Duration.between(attempts.get(first10), attempts.get(last10)).toNanos() / 1e9;
        System.out.printf("aggregate send rate: %.0f/s (%d sends between the 10th and 90th percentile of the %d after the first %d, in %.1f s);"
                + " 429 answers recorded by the hubs in the whole run: %d%n", (last10 - first10) / seconds, last10 - first10, attempts.size(), from,
                seconds, tooManyRecorded);

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/requests"))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, List<Instant>> arrivals = new TreeMap<>();
        Map<String, Integer> tooMany = new TreeMap<>();
        for (JsonNode request : Json.read(r.body())) {
            if (!request.path("path").asText().equals("/v2/bot/message/pnp/templated/push")) {
                continue;
            }
            String channel = request.path("channel").asText();
            arrivals.computeIfAbsent(channel, k -> new ArrayList<>()).add(Instant.parse(request.path("at").asText()));
            tooMany.merge(channel, request.path("status").asInt() == 429 ? 1 : 0, Integer::sum);
        }
        arrivals.forEach((channel, at) -> {
            Collections.sort(at);
            double span = Duration.between(at.get(0), at.get(at.size() - 1)).toNanos() / 1e9;
            System.out.printf("  channel %s: %d requests at the sandbox in %.1f s, busiest sliding second %d (budget %d), %d x 429%n",
                    channel, at.size(), span, busiestWindow(at), budget, tooMany.get(channel));
        });
    }

    /** Most arrivals in any window [t, t + 1 s) that starts at an arrival; {@code sorted} in time order. */
    static int busiestWindow(List<Instant> sorted) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).plusSeconds(1).isAfter(sorted.get(to))) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }
}
