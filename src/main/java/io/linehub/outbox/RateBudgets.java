package io.linehub.outbox;

import io.linehub.line.LineConstants;
import io.linehub.line.LineOperation;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * Requests per second each channel may make to each LINE endpoint (the throttle EIP's limit), and how long each
 * request keeps its permit. LINE allows 2,000/s per channel and endpoint. Broadcasts and narrowcasts (60 per
 * hour) are paced when claimed instead, so the throttle lets them through.
 *
 * <p>LINE counts a request in the second it arrives, which is after it was sent and before LINE answered. The
 * permit's window ({@link Window}) says from when the second is counted: {@code AFTER_ANSWER} (default) can
 * never put more than the budget into any second at LINE, but at a latency L it starts at most
 * {@code budget / (1 + L)} requests a second; {@code AFTER_SEND} counts from the moment the request was written
 * plus a margin for the network's jitter, so it uses the whole budget, but if one request travels more than the
 * margin longer than another, a second at LINE may see one request too many (LINE answers 429, the hub retries).
 */
public class RateBudgets {

    /** From when a request's second is counted. */
    public enum Window { AFTER_ANSWER, AFTER_SEND }

    private static final long SECOND = 1000;

    private final int perSecond;
    private final Map<String, Integer> overrides;
    private final Window window;
    private final long marginMillis;

    /**
     * @param perSecond default budget per channel and endpoint
     * @param overrides per {@code channel:operation} (e.g. {@code acme:push}) budgets
     */
    public RateBudgets(int perSecond, Map<String, Integer> overrides) {
        this(perSecond, overrides, Window.AFTER_ANSWER, 0);
    }

    public RateBudgets(int perSecond, Map<String, Integer> overrides, Window window, long marginMillis) {
        if (marginMillis < 0) {
            throw new IllegalArgumentException("the rate window's margin must not be negative, was " + marginMillis);
        }
        this.perSecond = perSecond;
        this.overrides = Map.copyOf(overrides);
        this.window = window;
        this.marginMillis = marginMillis;
    }

    /**
     * How long the exchange keeps its permit once LINE answered (the route's rate-window delay): one second, or
     * with {@code AFTER_SEND} what is left of one second plus the margin since the request was written
     * ({@code LineSentAt}; a request that never left counts from now).
     */
    public long holdMillis(Exchange exchange) {
        if (window == Window.AFTER_ANSWER) {
            return SECOND;
        }
        long now = System.currentTimeMillis();
        Long sentAt = exchange.getMessage().getHeader(LineConstants.SENT_AT, Long.class);
        return Math.max(0, Math.min(SECOND + marginMillis, (sentAt == null ? now : sentAt) + SECOND + marginMillis - now));
    }

    /** The throttle's maximum requests per second for one channel and operation. */
    public int budget(String channel, String operation) {
        if (LineOperation.fromUriName(operation).rateLimit() != LineOperation.RateLimit.PER_SECOND_2000) {
            return 1_000_000; // paced by the hourly budget at claim time
        }
        return overrides.getOrDefault(channel + ":" + operation, perSecond);
    }
}
