package io.linehub.cluster;

import io.linehub.headers.HubHeaders;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.SynchronizationAdapter;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This hub's share of a rate key's budget (channel + LINE endpoint) in a cluster: the send-to-line route's step
 * after the throttle. An exchange takes one of the share's permits and keeps it until it completes, i.e. as long as
 * it keeps its throttle permit (until one second after LINE counted the request, {@code RateBudgets}). Exchanges
 * that find none wait here, without a thread, until one comes back or the share grows.
 *
 * <p>The share and how long it may be used come from {@link ClusterHeartbeat}: the shares of all hubs add up to at
 * most the budget, so at every instant the permits out in the whole cluster do, which is what keeps every one-second
 * window at LINE within the budget. No permit is handed out once the share's lease is within {@link #GUARD_NANOS} of
 * its end (a hub cut off from the database stops before others may take its share over).
 *
 * <p>Camel's throttle cannot be used for this: its limit is re-read only when an exchange arrives, so a share that
 * grows while every exchange of the key already waits would never reach them. On embedded H2 (one hub) the gate is
 * {@link #passThrough()}: the throttle's budget is the hub's own.
 */
public final class RateShareGate extends AsyncProcessorSupport {

    /** A budget this large is not paced per second (broadcast, narrowcast: by the hour, at claim time). */
    public static final int NOT_PACED = 1_000_000;
    /** Permits are no longer handed out this long before the share's lease ends. */
    static final long GUARD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A key used (or waited for) this recently is still wanted. */
    static final long DEMAND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final boolean enabled;
    private final Executor executor;
    private final LongSupplier nanoTime;
    private final Map<String, Share> shares = new ConcurrentHashMap<>();
    private volatile long leaseEndNanos;
    private volatile boolean leased;

    private RateShareGate(boolean enabled, Executor executor, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /**
     * A gate whose shares {@link ClusterHeartbeat} sets; waiting exchanges go on on {@code executor}, which must never
     * wait for a throttle permit (not the throttle's waiting room: its threads block on the permits that the exchanges
     * held here give back only once they have gone on).
     */
    public static RateShareGate clustered(Executor executor) {
        return new RateShareGate(true, executor, System::nanoTime);
    }

    static RateShareGate clustered(Executor executor, LongSupplier nanoTime) {
        return new RateShareGate(true, executor, nanoTime);
    }

    /** One hub alone (embedded H2): every exchange goes straight on. */
    public static RateShareGate passThrough() {
        return new RateShareGate(false, Runnable::run, System::nanoTime);
    }

    /** One rate key's permits on this hub. */
    static final class Share {
        final String key;
        final int budget;
        private int limit;
        private int held;
        private long lastDemand;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

        Share(String key, int budget) {
            this.key = key;
            this.budget = budget;
        }

        synchronized int held() {
            return held;
        }

        synchronized int limit() {
            return limit;
        }

        synchronized int waiting() {
            return waiting.size();
        }

        synchronized boolean wanted(long now) {
            return held > 0 || !waiting.isEmpty() || now - lastDemand < DEMAND_NANOS;
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (!enabled) {
            callback.done(true);
            return true;
        }
        Integer budget = exchange.getMessage().getHeader(HubHeaders.RATE_BUDGET, Integer.class);
        String key = exchange.getMessage().getHeader(HubHeaders.RATE_KEY, String.class);
        if (budget == null || key == null || budget >= NOT_PACED) {
            callback.done(true);
            return true;
        }
        Share share = shares.computeIfAbsent(key, k -> new Share(k, budget));
        long now = nanoTime.getAsLong();
        synchronized (share) {
            share.lastDemand = now;
            if (share.held >= usable(share, now)) {
                share.waiting.add(() -> {
                    releaseOnCompletion(exchange, share);
                    callback.done(false);
                });
                return false;
            }
            share.held++;
        }
        releaseOnCompletion(exchange, share);
        callback.done(true);
        return true;
    }

    private void releaseOnCompletion(Exchange exchange, Share share) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                synchronized (share) {
                    share.held--;
                }
                admit(share);
            }
        });
    }

    /** Permits of the share that may be out now: its limit while the lease lasts (less the guard), else none. */
    private int usable(Share share, long now) {
        return leased && now - (leaseEndNanos - GUARD_NANOS) < 0 ? share.limit : 0;
    }

    /** Lets waiting exchanges go on while the share has room (each on the executor, never on the caller's thread). */
    private void admit(Share share) {
        long now = nanoTime.getAsLong();
        while (true) {
            Runnable next;
            synchronized (share) {
                if (share.waiting.isEmpty() || share.held >= usable(share, now)) {
                    return;
                }
                share.held++;
                next = share.waiting.poll();
            }
            executor.execute(next);
        }
    }

    // ---- what the heartbeat reads and sets

    Iterable<Share> shares() {
        return shares.values();
    }

    /** Lowers a share's limit at once (before the heartbeat gives the difference back to the cluster). */
    void lower(Share share, int limit) {
        synchronized (share) {
            share.limit = Math.min(share.limit, limit);
        }
    }

    /** The shares' limits after a committed round, and until when (monotonic) they may be used. */
    void renewed(Map<Share, Integer> limits, long leaseEnd) {
        for (Map.Entry<Share, Integer> e : limits.entrySet()) {
            synchronized (e.getKey()) {
                e.getKey().limit = e.getValue();
            }
        }
        leaseEndNanos = leaseEnd;
        leased = true;
        for (Share share : shares.values()) {
            admit(share);
        }
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** This hub's share of a rate key now (for metrics and tests); 0 before the first exchange of the key. */
    public int limit(String rateKey) {
        Share s = shares.get(rateKey);
        return s == null ? 0 : s.limit();
    }

    public boolean enabled() {
        return enabled;
    }
}
