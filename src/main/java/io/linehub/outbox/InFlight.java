package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Claimed entries not finished yet (in the hand-over queue, waiting in the throttle, or at LINE), and how many
 * the senders finished per second lately: how much the {@link Dispatcher} may claim ahead.
 */
public class InFlight {


    /** Claimed entries not finished yet (in the hand-over queue, waiting in the throttle, or at LINE). */
    private final AtomicInteger held = new AtomicInteger();
    /** Entries finished per second over the last seconds: how much may be claimed ahead. */
    private final AtomicLongArray finishedPerSecond = new AtomicLongArray(8);
    private final AtomicLongArray finishedSecond = new AtomicLongArray(8);

    int held() {
        return held.get();
    }

    void claimed(int entries) {
        held.addAndGet(entries);
    }

    /** The claimed entry is done with (its outcome recorded, or the exchange over): it no longer counts as held. */
    void release(Exchange exchange) {
        if (exchange.getProperty(HubHeaders.CLAIM_RELEASED) == null) {
            exchange.setProperty(HubHeaders.CLAIM_RELEASED, Boolean.TRUE);
            held.decrementAndGet();
            finished();
        }
    }

    private void finished() {
        long second = System.currentTimeMillis() / 1000;
        int slot = (int) (second % finishedSecond.length());
        if (finishedSecond.getAndSet(slot, second) != second) {
            finishedPerSecond.set(slot, 0);
        }
        finishedPerSecond.incrementAndGet(slot);
    }

    /**
     * Entries finished per second lately: the average over the last four whole seconds, or the last whole second
     * alone when that was busier (so that after a quiet spell the claims catch up within seconds, not four).
     */
    double recentRate() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        long last = 0;
        for (long s = now - 4; s < now; s++) {
            int slot = (int) (s % finishedSecond.length());
            if (finishedSecond.get(slot) == s) {
                sum += finishedPerSecond.get(slot);
                if (s == now - 1) {
                    last = finishedPerSecond.get(slot);
                }
            }
        }
        return Math.max(sum / 4.0, last);
    }
}
