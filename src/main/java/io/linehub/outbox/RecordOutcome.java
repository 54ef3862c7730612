package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineConstants;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The delivery route's step after the {@code line:} call: records LINE's answer ({@code recordSent}) or the
 * caught failure ({@code recordFailure}) through the {@link OutcomeWriter}'s group commit. The exchange waits,
 * without holding a thread, until the outcome is committed, and fails if it could not be recorded (the row then
 * stays SENDING and its lease brings it back).
 */
public class RecordOutcome extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RecordOutcome.class);

    private final OutcomeWriter writer;
    private final InFlight inFlight;
    private final boolean sent;

    private RecordOutcome(OutcomeWriter writer, InFlight inFlight, boolean sent) {
        this.writer = writer;
        this.inFlight = inFlight;
        this.sent = sent;
    }

    public static RecordOutcome sent(OutcomeWriter writer, InFlight inFlight) {
        return new RecordOutcome(writer, inFlight, true);
    }

    public static RecordOutcome failure(OutcomeWriter writer, InFlight inFlight) {
        return new RecordOutcome(writer, inFlight, false);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Outcome outcome;
        try {
            outcome = sent ? sentOutcome(exchange) : failedOutcome(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        writer.submit(outcome, (next, failure) -> {
            if (failure != null) {
                exchange.setException(failure);
            } else {
                log(outcome, next);
                inFlight.release(exchange);
            }
            callback.done(false);
        });
        return false;
    }

    /** LINE accepted the request: what to record. */
    private static Outcome sentOutcome(Exchange exchange) {
        Message m = exchange.getMessage();
        OutboxEntry e = exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class);
        String requestId = m.getHeader(LineConstants.ACCEPTED_REQUEST_ID, m.getHeader(LineConstants.REQUEST_ID, String.class), String.class);
        return Outcome.sent(e, startedAt(exchange), m.getHeader(LineConstants.HTTP_STATUS, Integer.class), requestId);
    }

    /** LINE refused the request or did not answer (the caught exception): what to record. */
    private static Outcome failedOutcome(Exchange exchange) {
        OutboxEntry e = exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class);
        return Outcome.failed(e, startedAt(exchange), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    private static Instant startedAt(Exchange exchange) {
        Instant t = exchange.getProperty(HubHeaders.ATTEMPT_STARTED_AT, Instant.class);
        return t != null ? t : exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class).claimedAt();
    }

    private static void log(Outcome o, NotificationStatus next) {
        OutboxEntry e = o.entry();
        if (o.failure() == null) {
            LOG.debug("{} {} sent to LINE ({} {})", e.isBatch() ? "multicast batch" : "notification", e.id(), o.httpStatus(), o.lineRequestId());
        } else {
            LOG.warn("{} {} not sent, now {}: {}", e.isBatch() ? "multicast batch" : "notification", e.id(), next, o.failure().getMessage());
        }
    }
}
