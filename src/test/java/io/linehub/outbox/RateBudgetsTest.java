package io.linehub.outbox;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a request keeps its rate permit after LINE answered, in each rate window. */
class RateBudgetsTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange sentAt(Long millis) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setHeader(LineConstants.SENT_AT, millis);
        return e;
    }

    @Test
    void afterTheAnswerThePermitIsHeldOneWholeSecond() {
        RateBudgets budgets = new RateBudgets(2000, Map.of());
        assertThat(budgets.holdMillis(sentAt(System.currentTimeMillis() - 300))).isEqualTo(1000);
    }

    @Test
    void afterTheSendThePermitIsHeldWhatIsLeftOfASecondAndTheMargin() {
        RateBudgets budgets = new RateBudgets(2000, Map.of(), RateBudgets.Window.AFTER_SEND, 5);
        long before = System.currentTimeMillis();
        long hold = budgets.holdMillis(sentAt(before - 300));
        long after = System.currentTimeMillis();
        // sent 300 ms ago (as seen before the call): 1005 - 300 - (time the call took) left
        assertThat(hold).isBetween(705 - (after - before), 705L);
        // answered after more than a second: nothing left to hold
        assertThat(budgets.holdMillis(sentAt(before - 2000))).isZero();
        // never left (no connection): a whole second and the margin from now
        assertThat(budgets.holdMillis(sentAt(null))).isEqualTo(1005);
        // a clock that jumped back does not make the hold longer than a second and the margin
        assertThat(budgets.holdMillis(sentAt(before + 60_000))).isEqualTo(1005);
    }

    @Test
    void aNegativeMarginIsRefused() {
        assertThatThrownBy(() -> new RateBudgets(2000, Map.of(), RateBudgets.Window.AFTER_SEND, -1)).hasMessageContaining("margin");
    }

    @Test
    void theBudgetIsPerChannelAndOperationWithOverrides() {
        RateBudgets budgets = new RateBudgets(2000, Map.of("acme:push", 500));
        assertThat(budgets.budget("acme", "push")).isEqualTo(500);
        assertThat(budgets.budget("acme", "pnp-template")).isEqualTo(2000);
        assertThat(budgets.budget("acme", "broadcast")).isGreaterThan(100_000);
    }
}
