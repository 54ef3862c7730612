package io.linehub.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Rows of inbox files, counted at each checkpoint (when they are stored and reported): read, accepted (stored or
 * found as duplicates of an earlier run), refused. Files in progress are a gauge read from the database
 * ({@link OutboxGauges}), so every hub of a cluster shows the same.
 */
public final class InboxMetrics {

    private final Counter read;
    private final Counter accepted;
    private final Counter refused;

    public InboxMetrics(MeterRegistry registry) {
        read = Counter.builder("hub.inbox.rows.read").description("Rows of inbox files read (counted at each checkpoint)").register(registry);
        accepted = Counter.builder("hub.inbox.rows.accepted").description("Rows of inbox files accepted (queued, or duplicates of an earlier run)")
                .register(registry);
        refused = Counter.builder("hub.inbox.rows.refused").description("Rows of inbox files refused (the report names the column and the reason)")
                .register(registry);
    }

    /** Meters that count nothing, for code run without metrics. */
    public static InboxMetrics none() {
        return new InboxMetrics(new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
    }

    public void rows(int readRows, int acceptedRows, int refusedRows) {
        read.increment(readRows);
        accepted.increment(acceptedRows);
        refused.increment(refusedRows);
    }
}
