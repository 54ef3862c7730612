package io.linehub.outbox;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Group commit of LINE's answers: the delivery routes hand each outcome over and go on when it is durable; each
 * of a few writer threads records whatever has arrived meanwhile (up to {@code maxBatch}) in one transaction of three
 * batched statements ({@link OutcomeStore#recordOutcomes}). At 2,000 answers a second this is a few transactions a
 * second instead of 2,000 with four round trips each. Nothing is acknowledged before its commit; if a group
 * fails, its outcomes are recorded one by one so one bad outcome cannot hold back the others. The routes go on
 * on {@code continuation} (not on the writer thread), so the writer starts the next transaction at once. Two
 * writers overlap one transaction's statements with the next one's (a notification has one outcome at a time, so
 * they never touch the same notification; both may pause a channel at once, which {@link ChannelPauses#pause} allows); one writer, waiting on each round trip, kept up with no more than about 2,000
 * answers a second on a busy 2-core machine.
 */
public class OutcomeWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);

    record Pending(Outcome outcome, BiConsumer<NotificationStatus, Throwable> done) {
    }

    private final OutcomeStore store;
    private final int maxBatch;
    private final Executor continuation;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private final int writers;
    private final List<Thread> threads = new ArrayList<>();

    /** One writer; routes go on on the writer thread (tests). */
    public OutcomeWriter(OutcomeStore store, int maxBatch) {
        this(store, maxBatch, 1, Runnable::run);
    }

    /**
     * @param writers      writer threads (each with its own transaction)
     * @param continuation where each group's callers hear their results and their routes go on
     */
    public OutcomeWriter(OutcomeStore store, int maxBatch, int writers, Executor continuation) {
        if (writers < 1) {
            throw new IllegalArgumentException("the outcome writer needs at least one thread, was " + writers);
        }
        this.store = store;
        this.maxBatch = maxBatch;
        this.writers = writers;
        this.continuation = continuation;
    }

    /** Records the outcome soon; {@code done} gets the notification's next status, or why it could not be recorded. */
    public void submit(Outcome outcome, BiConsumer<NotificationStatus, Throwable> done) {
        if (!running) {
            record(List.of(new Pending(outcome, done))); // stopping or not started: record it right away, on the caller's thread
            return;
        }
        queue.add(new Pending(outcome, done));
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 1; i <= writers; i++) {
            Thread thread = new Thread(this::loop, "outbox-outcomes-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        threads.clear();
        drain(); // anything handed over while stopping
    }

    private void loop() {
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> group = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                group.add(first);
                queue.drainTo(group, maxBatch - 1);
                record(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("outcome writer: unexpected {}", e.toString());
            }
        }
        drain();
    }

    private void drain() {
        List<Pending> rest = new ArrayList<>();
        while (queue.drainTo(rest, maxBatch) > 0) {
            record(rest);
            rest.clear();
        }
    }

    /** Records a group in one transaction, else one by one; each caller hears its own result. (The writer thread's work.) */
    void record(List<Pending> group) {
        List<NotificationStatus> next;
        try {
            next = store.recordOutcomes(group.stream().map(Pending::outcome).toList());
        } catch (RuntimeException groupFailed) {
            if (group.size() == 1) {
                complete(group.get(0), null, groupFailed);
                return;
            }
            LOG.warn("recording {} outcomes together failed ({}); recording them one by one", group.size(), groupFailed.toString());
            for (Pending p : group) {
                try {
                    complete(p, store.recordOutcomes(List.of(p.outcome())).get(0), null);
                } catch (RuntimeException e) {
                    complete(p, null, e);
                }
            }
            return;
        }
        Runnable completeAll = () -> {
            for (int i = 0; i < group.size(); i++) {
                complete(group.get(i), next.get(i), null);
            }
        };
        try {
            continuation.execute(completeAll);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            completeAll.run(); // shutting down: on this thread
        }
    }

    private static void complete(Pending p, NotificationStatus next, Throwable failure) {
        try {
            p.done().accept(next, failure);
        } catch (RuntimeException e) {
            LOG.error("outcome writer: continuing the route of {} failed: {}", p.outcome().entry().id(), e.toString());
        }
    }
}
