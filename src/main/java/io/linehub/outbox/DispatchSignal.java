package io.linehub.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the dispatcher when something was queued, so an idle hub hands a new notification to LINE at once instead
 * of at its next poll. {@link NotificationQueue} raises it after each commit of new rows (in this process);
 * {@link OutboxListener} raises it when another hub on the same PostgreSQL database queued some (LISTEN/NOTIFY). The
 * dispatcher's poll interval stays the safety net: a signal only cuts its wait short.
 */
public final class DispatchSignal {

    private final Semaphore raised = new Semaphore(0);

    /** Something was queued: the waiting dispatcher claims now. Cheap; any thread. */
    public void raise() {
        if (raised.availablePermits() == 0) {
            raised.release();
        }
    }

    /**
     * Waits until the signal is raised (or was raised since the last wait), at most {@code timeoutMs}; clears it.
     *
     * @return whether it was raised
     */
    public boolean await(long timeoutMs) throws InterruptedException {
        boolean got = raised.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS);
        raised.drainPermits(); // several raises before this wait are one claim's worth
        return got;
    }
}
