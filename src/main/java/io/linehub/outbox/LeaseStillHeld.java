package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Right before the request leaves (after the throttle): the attempt's start time. A claim held so long that its
 * lease may have run out is not sent: its row has been, or will be, taken back by the outbox ({@link Claims}).
 */
public class LeaseStillHeld implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStillHeld.class);

    private final Duration lease;

    public LeaseStillHeld(Duration lease) {
        this.lease = lease;
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
        return true;
    }
}
