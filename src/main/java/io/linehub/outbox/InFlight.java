package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Claimed entries not finished yet (in the hand-over queue, waiting in the throttle, or at LINE), and how many
 * the senders finished per second lately: how much the {@link Dispatcher} may claim ahead.
 */
public class InFlight {


    /** Claimed entries not finished yet (in the hand-over queue, waiting in the throttle, or at LINE). */
    private final AtomicInteger held = new AtomicInteger();
    /** The same per channel: a channel may hold only about what it can send soon ({@link Dispatcher}). */
    private final ConcurrentHashMap<String, AtomicInteger> heldByChannel = new ConcurrentHashMap<>();
    /** Entries finished per second over the last seconds: how much may be claimed ahead. */
    private final AtomicLongArray finishedPerSecond = new AtomicLongArray(8);
    private final AtomicLongArray finishedSecond = new AtomicLongArray(8);

    int held() {
        return held.get();
    }

    /** Claimed entries of one channel not finished yet. */
    int heldBy(String channel) {
        AtomicInteger n = heldByChannel.get(channel);
        return n == null ? 0 : n.get();
    }

    void claimed(List<OutboxEntry> entries) {
        held.addAndGet(entries.size());
        for (OutboxEntry e : entries) {
            heldByChannel.computeIfAbsent(e.channel(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** The claimed entry is done with (its outcome recorded, or the exchange over): it no longer counts as held. */
    void release(Exchange exchange) {
        if (exchange.getProperty(HubHeaders.CLAIM_RELEASED) == null) {
            exchange.setProperty(HubHeaders.CLAIM_RELEASED, Boolean.TRUE);
            held.decrementAndGet();
            OutboxEntry entry = exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class);
            if (entry != null) {
                AtomicInteger n = heldByChannel.get(entry.channel());
                if (n != null) {
                    n.decrementAndGet();
                }
            }
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
