package io.linehub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load against a LINE sandbox (or any LINE-compatible server): requests are started on a fixed
 * schedule whatever the answers do, so slow answers show up as latency instead of a lower rate. Prints the
 * achieved rate, status counts and answer-time percentiles. Not a test: run by bench/sandbox-load.sh.
 *
 * <p>Arguments: baseUrl token rate seconds [path] (path default: the LON template endpoint).
 */
public final class SandboxLoad {

    private static final String HASH = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String path = args.length > 4 ? args[4] : "/v2/bot/message/pnp/templated/push";
        String body = path.contains("pnp/templated")
                ? "{\"to\":\"" + HASH + "\",\"templateKey\":\"shipment_completed_ja\",\"body\":{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\","
                + "\"content\":\"2026年11月27日\"},\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"1234567\"}]}}"
                : "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"text\",\"text\":\"hello\"}]}";

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();

        // warm-up (JIT, connections) at a quarter of the rate, so that no backlog carries into the measurement
        runPhase(client, request, Math.max(1, rate / 4), 10, false);
        Thread.sleep(2000);
        Result r = runPhase(client, request, rate, seconds, true);
        long[] lat = Arrays.copyOf(r.latenciesMicros, r.count.get());
        Arrays.sort(lat);
        System.out.printf("target %d req/s for %d s against %s%s%n", rate, seconds, baseUrl, path);
        System.out.printf("sent %d, answered %d in %.1f s = %.0f req/s; statuses %s; failures %d%n", r.sent.get(), lat.length,
                r.elapsedNanos / 1e9, lat.length / (r.elapsedNanos / 1e9), new TreeMap<>(r.statuses), r.failures.get());
        System.out.printf("answer time ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 99.9), lat.length == 0 ? 0 : lat[lat.length - 1] / 1000.0);
        System.exit(0);
    }

    private record Result(AtomicInteger sent, AtomicInteger count, long[] latenciesMicros, Map<Integer, AtomicInteger> statuses,
                          AtomicInteger failures, long elapsedNanos) {
    }

    private static Result runPhase(HttpClient client, HttpRequest request, int rate, int seconds, boolean record) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger count = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        AtomicLong next = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            long due = (System.nanoTime() - start) / intervalNanos + 1;
            while (next.get() < Math.min(due, total)) {
                next.incrementAndGet();
                long t0 = System.nanoTime();
                sent.incrementAndGet();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                    if (err != null) {
                        failures.incrementAndGet();
                    } else {
                        statuses.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        int i = count.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[i] = (System.nanoTime() - t0) / 1000;
                        }
                    }
                    done.countDown();
                });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        done.await(seconds + 30L, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        ticker.shutdownNow();
        return new Result(sent, count, latencies, statuses, failures, elapsed);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }
}
