package io.linehub.outbox;

import io.linehub.line.LineConstants;
import io.linehub.line.LineOperation;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * Requests per second each channel may make to each LINE endpoint (the throttle EIP's limit). LINE allows
 * 2,000/s per channel and endpoint; the default keeps a small margin below it. Broadcasts and narrowcasts
 * (60 per hour) are paced when claimed instead, so the throttle lets them through.
 */
public class RateBudgets {

    private final int perSecond;
    private final Map<String, Integer> overrides;

    /**
     * @param perSecond default budget per channel and endpoint
     * @param overrides per {@code channel:operation} (e.g. {@code acme:push}) budgets
     */
    public RateBudgets(int perSecond, Map<String, Integer> overrides) {
        this.perSecond = perSecond;
        this.overrides = Map.copyOf(overrides);
    }

    /** The throttle's maximum requests per second for this exchange's channel and operation. */
    public int perSecond(Exchange exchange) {
        String channel = exchange.getMessage().getHeader(LineConstants.CHANNEL, String.class);
        String op = exchange.getMessage().getHeader(DeliverySteps.LINE_OPERATION, String.class);
        return budget(channel, op);
    }

    /** The budget of one channel and operation (named apart from the route's method so bean binding has one choice). */
    public int budget(String channel, String operation) {
        if (LineOperation.fromUriName(operation).rateLimit() != LineOperation.RateLimit.PER_SECOND_2000) {
            return 1_000_000; // paced by the hourly budget at claim time
        }
        return overrides.getOrDefault(channel + ":" + operation, perSecond);
    }
}
