package io.linehub.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: paces push requests at a target rate against an in-process sandbox and prints the achieved rate and
 * latencies, with run-time validation on and off. Run under {@code taskset -c 0,1 java -cp ... SandboxThroughputBenchmark
 * [ratePerSecond] [seconds]} to see what 2 cores sustain (client and server share them, so this is conservative).
 */
public final class SandboxThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (boolean validate : new boolean[] {false, true, false, true}) {
            run(validate, rate, seconds);
        }
    }

    static void run(boolean validate, int rate, int seconds) throws Exception {
        try (LineSandbox sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("a", "t", "s", null))
                .validateRequests(validate).maxRecordedRequests(1000)
                .rateLimit(ApiPath.PUSH, EndpointRateLimit.unlimited()).build())) {
            String user = SandboxClient.userId(1);
            sandbox.addFriend("a", user);
            String body = "{\"to\":\"" + user + "\",\"messages\":[{\"type\":\"flex\",\"altText\":\"Shipped\",\"contents\":{\"type\":\"bubble\","
                    + "\"body\":{\"type\":\"box\",\"layout\":\"vertical\",\"contents\":[{\"type\":\"text\",\"text\":\"Shipped\"}]}}}]}";
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/v2/bot/message/push"))
                    .header("Authorization", "Bearer t").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32); // at most 32 connections
            int total = rate * seconds;
            long[] latencies = new long[total];
            AtomicInteger ok = new AtomicInteger();
            List<CompletableFuture<?>> futures = new ArrayList<>(total);
            long start = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    if (wait > 200_000) {
                        Thread.sleep(0, 100_000);
                    }
                }
                inFlight.acquire();
                int n = i;
                long sentAt = System.nanoTime();
                futures.add(http.sendAsync(req, java.net.http.HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    latencies[n] = System.nanoTime() - sentAt;
                    if (r != null && r.statusCode() == 200) {
                        ok.incrementAndGet();
                    }
                    inFlight.release();
                }));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("validate=%-5s %d requests in %.2f s = %.0f req/s, 200s=%d, latency p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                    validate, total, elapsed, total / elapsed, ok.get(), latencies[total / 2] / 1e6,
                    latencies[(int) (total * 0.99)] / 1e6, latencies[total - 1] / 1e6);
        }
    }
}
