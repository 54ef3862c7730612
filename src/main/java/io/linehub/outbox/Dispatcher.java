package io.linehub.outbox;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The outbox-dispatcher route's step: claims due notifications, no more than the senders can take in time. */
public class Dispatcher {

    static final int MIN_AHEAD = 50;

    private final Claims claims;
    private final InFlight inFlight;
    private final DispatchSignal signal;
    /** The most claimed entries each channel may hold at once (about two seconds of its rate budget); none: no limit. */
    private volatile Map<String, Integer> channelLimits = Map.of();
    /** When the last claim round ended ({@link System#nanoTime()}; 0 before the first), for the health check. */
    private volatile long lastRoundNanos;

    public Dispatcher(Claims claims, InFlight inFlight) {
        this(claims, inFlight, new DispatchSignal());
    }

    public Dispatcher(Claims claims, InFlight inFlight, DispatchSignal signal) {
        this.claims = claims;
        this.inFlight = inFlight;
        this.signal = signal;
    }

    /**
     * Each channel holds at most about two seconds of its rate budget ({@code ratePerSecond} per channel): a slow
     * channel (a small budget, LINE answering slowly) never fills the hub's in-flight room, so the other channels'
     * notifications are still claimed.
     */
    public Dispatcher withChannelRates(Map<String, Integer> ratePerSecond) {
        Map<String, Integer> limits = new HashMap<>();
        ratePerSecond.forEach((channel, rate) -> limits.put(channel, Math.max(MIN_AHEAD, 2 * rate)));
        this.channelLimits = Map.copyOf(limits);
        return this;
    }

    /** The longest single wait: a stopping hub or route is noticed within it (Camel waits for this exchange). */
    static final long WAIT_SLICE_MS = 100;

    /**
     * The dispatcher route's first step: waits until something was queued ({@link DispatchSignal}), at most
     * {@code pollIntervalMs} (the safety net: rows due later, retries, rows queued by a hub that could not signal),
     * and no longer once the hub or the route is stopping. The route's timer fires again right after each claim, so
     * an idle hub claims once per poll interval, as before.
     */
    public void awaitWork(Exchange exchange, long pollIntervalMs) throws InterruptedException {
        long deadline = System.nanoTime() + pollIntervalMs * 1_000_000L;
        for (long left = pollIntervalMs; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
            if (signal.await(Math.min(left, WAIT_SLICE_MS)) || stopping(exchange)) {
                return;
            }
        }
    }

    private static boolean stopping(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            return true;
        }
        String route = exchange.getFromRouteId();
        ServiceStatus status = route == null ? null : context.getRouteController().getRouteStatus(route);
        return status != null && (status.isStopping() || status.isStopped());
    }

    /**
     * Claims as many due notifications as may be held in memory ({@code maxInFlight}: in the hand-over queue, in
     * the throttle, at LINE), so none waits long enough for its lease to run out.
     */
    public List<OutboxEntry> claim(int batchSize, int maxInFlight) {
        // claim while fewer than about two seconds of what the senders finish lately are held (never more than
        // maxInFlight); a claim takes up to batchSize rows, so packed pushes still fill whole multicasts
        int ahead = (int) Math.min(maxInFlight, Math.max(MIN_AHEAD, 2 * inFlight.recentRate()));
        if (inFlight.held() >= ahead) {
            lastRoundNanos = System.nanoTime();
            return List.of();
        }
        // and each channel no more than about two seconds of its own budget
        Map<String, Integer> room = new HashMap<>();
        channelLimits.forEach((channel, limit) -> room.put(channel, Math.max(0, limit - inFlight.heldBy(channel))));
        List<OutboxEntry> claimed = claims.claimDue(batchSize, room);
        inFlight.claimed(claimed);
        lastRoundNanos = System.nanoTime();
        return claimed;
    }

    /** When the last claim round ended, on the {@link System#nanoTime()} clock; 0 before the first. */
    public long lastRoundNanos() {
        return lastRoundNanos;
    }
}
