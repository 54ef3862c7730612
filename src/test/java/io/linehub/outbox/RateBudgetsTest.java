package io.linehub.outbox;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a request keeps its rate permit after LINE answered, in each rate window (times on the monotonic clock). */
class RateBudgetsTest {

    private static final long MS = 1_000_000L;
    private static final long NOW = 5_000_000 * MS;

    private final DefaultCamelContext context = new DefaultCamelContext();

    /** A request to acme's push endpoint written {@code sentAgo} and answered {@code answeredAgo} (µs) before NOW. */
    private Exchange answered(long sentAgoMicros, long answeredAgoMicros) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setHeader(DeliverySteps.RATE_KEY, "acme:push");
        e.setProperty(LineConstants.ROUND_TRIP_TIMES, new long[] {NOW - sentAgoMicros * 1000, NOW - answeredAgoMicros * 1000});
        return e;
    }

    private Exchange unanswered() {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setHeader(DeliverySteps.RATE_KEY, "acme:push");
        return e;
    }

    @Test
    void afterTheAnswerThePermitIsHeldOneSecondFromTheAnswerNotFromWhenTheOutcomeWasStored() {
        RateBudgets budgets = new RateBudgets(2000, Map.of());
        // answered 300 ms ago (storing the outcome took that long): 700 ms left
        assertThat(budgets.holdMillis(answered(350_000, 300_000), NOW)).isEqualTo(700);
        // parts of a millisecond are rounded up, never down
        assertThat(budgets.holdMillis(answered(350_000, 300_400), NOW)).isEqualTo(700);
        assertThat(budgets.holdMillis(answered(350_000, 299_600), NOW)).isEqualTo(701);
        // answered more than a second ago: nothing left
        assertThat(budgets.holdMillis(answered(1_400_000, 1_200_000), NOW)).isZero();
        // no answer (refused, reset, timed out): LINE may have counted it up to now, so a whole second from now
        assertThat(budgets.holdMillis(unanswered(), NOW)).isEqualTo(1000);
        // never longer than a second
        assertThat(budgets.holdMillis(answered(0, -60_000_000), NOW)).isEqualTo(1000);
    }

    @Test
    void estimatedArrivalTakesTheFastestRoundTripLessTheMarginOffTheHold() {
        RateBudgets budgets = new RateBudgets(2000, Map.of(), RateBudgets.Window.ESTIMATED_ARRIVAL, 2);
        // first answer, round trip 50 ms, answered now: counted by the answer less (50 - 2) ms -> 952 ms left
        assertThat(budgets.holdMillis(answered(50_000, 0), NOW)).isEqualTo(952);
        assertThat(budgets.fastestRoundTripMillis("acme:push")).isEqualTo(50.0);
        // a round trip 200 ms slower (a stall on the way, before or after LINE counted it) is placed 200 ms later,
        // i.e. one second and the margin after it was written: held as long after its answer as the first
        assertThat(budgets.holdMillis(answered(250_000, 0), NOW)).isEqualTo(952);
        assertThat(budgets.fastestRoundTripMillis("acme:push")).isEqualTo(50.0);
        // a faster one lowers the fastest round trip for itself and every later request
        assertThat(budgets.holdMillis(answered(30_500, 0), NOW)).isEqualTo(972);
        assertThat(budgets.holdMillis(answered(80_000, 0), NOW)).isEqualTo(972);
        // ... also when its answer is read late
        assertThat(budgets.holdMillis(answered(180_000, 100_000), NOW)).isEqualTo(872);
        // other channels and endpoints keep their own
        assertThat(budgets.fastestRoundTripMillis("acme:pnp-template")).isNull();
        // no answer: a whole second, whatever the round trips before
        assertThat(budgets.holdMillis(unanswered(), NOW)).isEqualTo(1000);
    }

    @Test
    void estimatedArrivalNeverCreditsMoreThanTheFastestRoundTripBeyondTheMargin() {
        RateBudgets budgets = new RateBudgets(2000, Map.of(), RateBudgets.Window.ESTIMATED_ARRIVAL, 5);
        // a round trip within the margin earns no credit: held a whole second after the answer, as after-answer
        assertThat(budgets.holdMillis(answered(3_000, 0), NOW)).isEqualTo(1000);
        // and since 3 ms is now the fastest, later requests keep a whole second after their answer too
        assertThat(budgets.holdMillis(answered(60_000, 0), NOW)).isEqualTo(1000);
    }

    @Test
    void theRouteExpressionIsTheHoldInMilliseconds() {
        RateBudgets budgets = new RateBudgets(2000, Map.of());
        Exchange e = unanswered();
        assertThat(budgets.holdExpression().evaluate(e, Long.class)).isEqualTo(1000L);
    }

    @Test
    void aNegativeMarginIsRefused() {
        assertThatThrownBy(() -> new RateBudgets(2000, Map.of(), RateBudgets.Window.ESTIMATED_ARRIVAL, -1)).hasMessageContaining("margin");
    }

    @Test
    void theBudgetIsPerChannelAndOperationWithOverrides() {
        RateBudgets budgets = new RateBudgets(2000, Map.of("acme:push", 500));
        assertThat(budgets.budget("acme", "push")).isEqualTo(500);
        assertThat(budgets.budget("acme", "pnp-template")).isEqualTo(2000);
        assertThat(budgets.budget("acme", "broadcast")).isGreaterThan(100_000);
    }
}
