package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineApiException;
import io.linehub.line.LineConstants;
import io.linehub.observe.DeliveryMetrics;
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
    private final DeliveryMetrics metrics;

    private RecordOutcome(OutcomeWriter writer, InFlight inFlight, boolean sent, DeliveryMetrics metrics) {
        this.writer = writer;
        this.inFlight = inFlight;
        this.sent = sent;
        this.metrics = metrics;
    }

    public static RecordOutcome sent(OutcomeWriter writer, InFlight inFlight) {
        return sent(writer, inFlight, DeliveryMetrics.none());
    }

    public static RecordOutcome failure(OutcomeWriter writer, InFlight inFlight) {
        return failure(writer, inFlight, DeliveryMetrics.none());
    }

    public static RecordOutcome sent(OutcomeWriter writer, InFlight inFlight, DeliveryMetrics metrics) {
        return new RecordOutcome(writer, inFlight, true, metrics);
    }

    public static RecordOutcome failure(OutcomeWriter writer, InFlight inFlight, DeliveryMetrics metrics) {
        return new RecordOutcome(writer, inFlight, false, metrics);
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
        answered(exchange, outcome);
        writer.submit(outcome, (next, failure) -> {
            if (failure != null) {
                exchange.setException(failure);
            } else {
                log(outcome, next);
                moved(outcome, next);
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

    /** LINE's answer (its status class, a 429) and the round trip, counted before the outcome is written. */
    private void answered(Exchange exchange, Outcome o) {
        int status = o.httpStatus() != null ? o.httpStatus() : o.failure() instanceof LineApiException e ? e.status() : 0;
        long[] times = exchange.getProperty(LineConstants.ROUND_TRIP_TIMES, long[].class);
        metrics.answered(o.entry().channel(), o.entry().lineOperation(), status, times == null ? -1 : times[1] - times[0]);
    }

    /** The status the notifications moved to, once committed; for a send LINE accepted, the time since acceptance. */
    private void moved(Outcome o, NotificationStatus next) {
        OutboxEntry e = o.entry();
        if (next == null) {
            return;
        }
        metrics.moved(e.channel(), e.lineOperation(), e.type(), DeliveryMetrics.Moved.of(next.name()), e.size());
        if (next == NotificationStatus.SENT && e.dueSince() != null) {
            metrics.acceptedToLine(e.channel(), e.lineOperation(), (System.currentTimeMillis() - e.dueSince().toEpochMilli()) * 1_000_000L);
        }
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
