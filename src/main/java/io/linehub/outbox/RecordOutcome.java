package io.linehub.outbox;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The delivery route's step after the {@code line:} call: records LINE's answer ({@code recordSent}) or the
 * caught failure ({@code recordFailure}) through the {@link OutcomeWriter}'s group commit. The exchange waits,
 * without holding a thread, until the outcome is committed, and fails if it could not be recorded (the row then
 * stays SENDING and its lease brings it back).
 */
public class RecordOutcome extends AsyncProcessorSupport {

    private final DeliverySteps steps;
    private final OutcomeWriter writer;
    private final boolean sent;

    private RecordOutcome(DeliverySteps steps, OutcomeWriter writer, boolean sent) {
        this.steps = steps;
        this.writer = writer;
        this.sent = sent;
    }

    public static RecordOutcome sent(DeliverySteps steps, OutcomeWriter writer) {
        return new RecordOutcome(steps, writer, true);
    }

    public static RecordOutcome failure(DeliverySteps steps, OutcomeWriter writer) {
        return new RecordOutcome(steps, writer, false);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Outbox.Outcome outcome;
        try {
            outcome = sent ? steps.sentOutcome(exchange) : steps.failedOutcome(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        writer.submit(outcome, (next, failure) -> {
            if (failure != null) {
                exchange.setException(failure);
            } else {
                DeliverySteps.logOutcome(outcome, next);
                steps.release(exchange);
            }
            callback.done(false);
        });
        return false;
    }
}
