package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Right before the request leaves (after the throttle): the attempt's start time. A claim held so long that its
 * lease may have run out is not sent: its row has been, or will be, taken back by the outbox ({@link Claims}). In a
 * cluster, nothing is sent either once this hub's node lease (its heartbeat) is about to run out: other hubs may
 * take its claims back then.
 */
public class LeaseStillHeld implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStillHeld.class);

    private final Duration lease;
    private final BooleanSupplier nodeLeaseHeld;

    public LeaseStillHeld(Duration lease) {
        this(lease, () -> true);
    }

    /** @param nodeLeaseHeld whether this hub still holds its node lease (always, for a single hub) */
    public LeaseStillHeld(Duration lease, BooleanSupplier nodeLeaseHeld) {
        this.lease = lease;
        this.nodeLeaseHeld = nodeLeaseHeld;
    }

    @Override
    public boolean matches(Exchange exchange) {
        OutboxEntry e = exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class);
        Instant now = Instant.now();
        exchange.setProperty(HubHeaders.ATTEMPT_STARTED_AT, now);
        if (now.isAfter(e.claimedAt().plus(lease.dividedBy(2)))) {
            LOG.warn("{} {} waited past half its lease before sending; not sent now, the outbox takes it back", e.isBatch() ? "batch" : "notification", e.id());
            return false;
        }
        if (!nodeLeaseHeld.getAsBoolean()) {
            LOG.warn("{} {} not sent: this hub's heartbeat was not renewed in time (database unreachable?); other hubs take it back",
                    e.isBatch() ? "batch" : "notification", e.id());
            return false;
        }
        return true;
    }
}
