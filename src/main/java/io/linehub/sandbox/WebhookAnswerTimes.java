package io.linehub.sandbox;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long the hub took to answer the sandbox's webhook requests: from just before a request was handed to the HTTP
 * client to its answer (or failure), on the monotonic clock. LINE counts a webhook without an answer within 2 s as
 * {@code request_timeout} (README §10.1); the sandbox gives up at that point too, so such a request counts as 2 s and
 * as timed out. Every request is kept (a few dozen a second), unlike the bounded log of bodies.
 */
final class WebhookAnswerTimes {

    private long[] micros = new long[1024];
    private int n;
    private int timedOut;
    private int failed;
    private int non2xx;

    /** One request's answer: status -1 when it failed (timedOut: no answer within the timeout). */
    synchronized void record(long elapsedNanos, int status, boolean timedOutWaiting) {
        if (n == micros.length) {
            micros = Arrays.copyOf(micros, n * 2);
        }
        micros[n++] = elapsedNanos / 1_000;
        if (timedOutWaiting) {
            timedOut++;
        } else if (status < 0) {
            failed++;
        } else if (status < 200 || status > 299) {
            non2xx++;
        }
    }

    synchronized void clear() {
        n = 0;
        timedOut = 0;
        failed = 0;
        non2xx = 0;
    }

    /** {requests, timedOut (no answer within 2 s), failed, non2xx, p50Ms, p90Ms, p99Ms, maxMs} over the requests since the last clear. */
    synchronized Map<String, Object> summary() {
        long[] sorted = Arrays.copyOf(micros, n);
        Arrays.sort(sorted);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("requests", n);
        s.put("timedOut", timedOut);
        s.put("failed", failed);
        s.put("non2xx", non2xx);
        s.put("p50Ms", percentileMs(sorted, 0.50));
        s.put("p90Ms", percentileMs(sorted, 0.90));
        s.put("p99Ms", percentileMs(sorted, 0.99));
        s.put("maxMs", n == 0 ? null : sorted[n - 1] / 1000.0);
        return s;
    }

    /** Nearest-rank percentile in milliseconds, null without requests. */
    private static Double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
}
