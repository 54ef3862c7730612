package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineConstants;
import io.linehub.line.LineOperation;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Requests per second each channel may make to each LINE endpoint (the throttle EIP's limit), and how long each
 * request keeps its permit. LINE allows 2,000/s per channel and endpoint. Broadcasts and narrowcasts (60 per
 * hour) are paced when claimed instead, so the throttle lets them through.
 *
 * <p>The throttle holds at most {@code budget} permits at once. If every request keeps its permit until at least
 * one second after LINE counted it, no one-second window at LINE can see more than the budget (the permits of
 * any budget+1 requests counted within one second would all be held at the instant the last of them was counted).
 * LINE counts a request when it arrives: after it was written, before LINE answered. The {@link Window} says how
 * the hub places that moment:
 * <ul>
 *   <li>{@code AFTER_ANSWER}: at the answer. Never wrong, but each permit is held one round trip longer than a
 *       second, so at a latency L at most {@code budget / (1 + L)} requests start in a second.</li>
 *   <li>{@code ESTIMATED_ARRIVAL}: at the answer less the fastest round trip seen on this channel and endpoint,
 *       less the margin. A request whose round trip was slower than the fastest one is placed later by as much,
 *       so a stall anywhere on the way (the network, the hub, LINE) only lengthens the hold. It is right as long
 *       as the part of the fastest round trip before LINE counted the request (the one-way trip there) is within
 *       the margin; then the whole budget is used. Until the fastest round trip has settled (no fall by more than
 *       the margin over the last {@value #SETTLE_ANSWERS} answers and at least twenty seconds) the hold is as after
 *       the answer: while the hub and LINE warm up, every round trip is slow for seconds, the fastest one too, and
 *       its part before LINE counted the request can be far beyond the margin (RateBudgetIT's sandbox, busy
 *       warming up on two shared cores, counted requests up to 700 ms after they were written; a one-second rule
 *       still credited 230 ms that way, and ten seconds let a CI run through with 714 in a sliding second against
 *       700).</li>
 * </ul>
 * A request that got no answer (refused, reset, timed out) keeps its permit one whole second from then.
 */
public class RateBudgets {

    /** Where the hub places the moment LINE counted a request. */
    public enum Window { AFTER_ANSWER, ESTIMATED_ARRIVAL }

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int perSecond;
    private final Map<String, Integer> overrides;
    private final Window window;
    private final long marginNanos;
    /** Answers, at least, after the fastest round trip last fell by more than the margin, before it is relied on. */
    static final int SETTLE_ANSWERS = 2_000;
    /** ... and time since then. */
    static final long SETTLE_NANOS = 20 * SECOND_NANOS;

    /** Per rate key (channel:operation): the round trips seen. */
    private final Map<String, RoundTrips> roundTrips = new java.util.concurrent.ConcurrentHashMap<>();

    /** The fastest round trip of one channel:operation, and whether it has settled. */
    private final class RoundTrips {
        private long fastest = Long.MAX_VALUE;
        /** The fastest round trip when it last fell by more than the margin (small falls add up against it). */
        private long settling = Long.MAX_VALUE;
        private long fellAt;
        private int answersSince;

        /** Records one answer; returns the fastest round trip if it has settled, else -1. */
        synchronized long answer(long roundTrip, long answeredNanos) {
            if (settling == Long.MAX_VALUE || roundTrip < settling - marginNanos) {
                settling = roundTrip;
                fellAt = answeredNanos;
                answersSince = 0;
            } else {
                answersSince++;
            }
            fastest = Math.min(fastest, roundTrip);
            boolean settled = answersSince >= SETTLE_ANSWERS && answeredNanos - fellAt >= SETTLE_NANOS;
            return settled ? fastest : -1;
        }

        synchronized long fastest() {
            return fastest;
        }
    }

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
        this.marginNanos = TimeUnit.MILLISECONDS.toNanos(marginMillis);
    }

    /**
     * How much longer the exchange keeps its permit, now that LINE answered (the route's rate-window delay, in
     * milliseconds, rounded up): what is left of one second from the moment LINE counted the request, as placed by
     * the window (from {@code LineRoundTripTimes} and {@code HubRateKey}); one whole second when no answer came.
     */
    public long holdMillis(Exchange exchange) {
        return holdMillis(exchange, System.nanoTime());
    }

    long holdMillis(Exchange exchange, long nowNanos) {
        long[] roundTrip = exchange.getProperty(LineConstants.ROUND_TRIP_TIMES, long[].class);
        if (roundTrip == null) {
            return TimeUnit.NANOSECONDS.toMillis(SECOND_NANOS);
        }
        long sent = roundTrip[0];
        long answered = roundTrip[1];
        long countedBy = answered;
        String key = exchange.getMessage().getHeader(HubHeaders.RATE_KEY, String.class);
        if (window == Window.ESTIMATED_ARRIVAL && key != null) {
            long fastestRoundTrip = roundTrips.computeIfAbsent(key, k -> new RoundTrips()).answer(Math.max(0, answered - sent), answered);
            if (fastestRoundTrip >= 0) {
                countedBy -= Math.max(0, fastestRoundTrip - marginNanos);
            }
        }
        long left = Math.max(0, Math.min(SECOND_NANOS, countedBy + SECOND_NANOS - nowNanos));
        return (left + 999_999) / 1_000_000;
    }

    /** {@link #holdMillis(Exchange)} as a Camel expression (the route's rate-window delay, via the ref language). */
    public Expression holdExpression() {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return holdMillis(exchange);
            }

            @Override
            public String toString() {
                return "rateBudgets.holdMillis";
            }
        };
    }

    /** The fastest round trip seen for a channel:operation in ms (ESTIMATED_ARRIVAL only), or null before the first. */
    Double fastestRoundTripMillis(String rateKey) {
        RoundTrips r = roundTrips.get(rateKey);
        return r == null ? null : r.fastest() / 1e6;
    }

    /** The throttle's maximum requests per second for one channel and operation. */
    public int budget(String channel, String operation) {
        if (LineOperation.fromUriName(operation).rateLimit() != LineOperation.RateLimit.PER_SECOND_2000) {
            return 1_000_000; // paced by the hourly budget at claim time
        }
        return overrides.getOrDefault(channel + ":" + operation, perSecond);
    }
}
