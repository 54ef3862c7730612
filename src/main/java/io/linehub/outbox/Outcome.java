package io.linehub.outbox;

import java.time.Instant;

/** LINE's answer to one request (or its absence): accepted when {@code failure} is null. */
public record Outcome(OutboxEntry entry, Instant startedAt, Integer httpStatus, String lineRequestId, Throwable failure) {

    public static Outcome sent(OutboxEntry entry, Instant startedAt, Integer httpStatus, String lineRequestId) {
        return new Outcome(entry, startedAt, httpStatus, lineRequestId, null);
    }

    public static Outcome failed(OutboxEntry entry, Instant startedAt, Throwable failure) {
        return new Outcome(entry, startedAt, null, null, failure);
    }
}
