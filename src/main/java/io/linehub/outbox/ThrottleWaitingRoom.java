package io.linehub.outbox;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The waiting room of the delivery throttle (Camel's throttle EIP in {@code ConcurrentRequests} mode): exchanges
 * that found no permit wait here, on an unbounded queue, for one to come back.
 *
 * <p>It does not run <em>delayed</em> tasks. The only one the throttle schedules (Camel 4.18) forgets a
 * channel:endpoint's permits ten seconds after the last one came back — also while permits of that key are still
 * out. A burst that begins just before then would have its held permits forgotten mid-flight and get a second
 * budget (this is how LINE answered 429 in the delivery benchmark: up to twice the budget at once). Kept instead,
 * the states are a handful (channels × endpoints) for the life of the hub. Tasks to run now ({@code execute},
 * {@code submit}) run as usual.
 */
public final class ThrottleWaitingRoom extends ScheduledThreadPoolExecutor {

    public ThrottleWaitingRoom(int threads, ThreadFactory threadFactory) {
        super(threads, threadFactory);
        setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay > 0) {
            return NEVER;
        }
        return super.schedule(command, delay, unit);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> ScheduledFuture<V> schedule(java.util.concurrent.Callable<V> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            return (ScheduledFuture<V>) NEVER;
        }
        return super.schedule(callable, delay, unit);
    }

    /** A task that will never run (as if cancelled at once). */
    private static final ScheduledFuture<Object> NEVER = new ScheduledFuture<>() {
        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Delayed other) {
            return other == this ? 0 : 1;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            throw new CancellationException("not run: the throttle's waiting room runs no delayed tasks");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }
    };
}
