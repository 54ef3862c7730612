package io.linehub.sandbox;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rate limits per channel and endpoint (README §2), by the configured clock. One-second limits use fixed
 * windows (epoch seconds): the (limit+1)-th request within one second gets 429. Longer limits use a sliding
 * window over the requests admitted before (rejected requests do not extend a block). Also keeps, per channel
 * and endpoint, the number of requests (admitted and rejected) per epoch second for the last hour. Thread-safe.
 */
final class RateLimits {

    private static final long KEEP_SECONDS = 3600;

    private static final class Window {
        final ConcurrentSkipListMap<Long, AtomicInteger> perSecond = new ConcurrentSkipListMap<>();
        final ArrayDeque<Long> admittedMillis = new ArrayDeque<>();
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static String key(String channel, ApiPath endpoint) {
        return channel + '\n' + endpoint.name();
    }

    /** Counts the request; false when it is over the limit (answer 429). */
    boolean admit(String channel, ApiPath endpoint, EndpointRateLimit limit, Instant now) {
        Window w = windows.computeIfAbsent(key(channel, endpoint), k -> new Window());
        long second = now.getEpochSecond();
        int inSecond = w.perSecond.computeIfAbsent(second, s -> new AtomicInteger()).incrementAndGet();
        if (w.perSecond.size() > KEEP_SECONDS + 60) {
            w.perSecond.headMap(second - KEEP_SECONDS).clear();
        }
        if (limit.fixedSecond()) {
            return inSecond <= limit.requests();
        }
        long nowMillis = now.toEpochMilli();
        long windowMillis = limit.window().toMillis();
        synchronized (w.admittedMillis) {
            while (!w.admittedMillis.isEmpty() && w.admittedMillis.peekFirst() <= nowMillis - windowMillis) {
                w.admittedMillis.pollFirst();
            }
            if (w.admittedMillis.size() >= limit.requests()) {
                return false;
            }
            w.admittedMillis.addLast(nowMillis);
            return true;
        }
    }

    /** Epoch second → number of requests (admitted and rejected) of this channel to this endpoint, oldest first. */
    NavigableMap<Long, Integer> countsPerSecond(String channel, ApiPath endpoint) {
        TreeMap<Long, Integer> out = new TreeMap<>();
        Window w = windows.get(key(channel, endpoint));
        if (w != null) {
            w.perSecond.forEach((s, n) -> out.put(s, n.get()));
        }
        return out;
    }
}
