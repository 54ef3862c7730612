package io.linehub.outbox;

/**
 * What became of one notification of {@link NotificationQueue#enqueueAll}: stored (or found stored earlier under its
 * idempotency key), or refused because that key was used for a different request. Exactly one is set.
 *
 * @param result   as {@link NotificationQueue#enqueue} returns it, or null when refused
 * @param refusal  the conflict {@link NotificationQueue#enqueue} would have thrown, or null when stored
 */
public record EnqueueOutcome(EnqueueResult result, IdempotencyConflictException refusal) {

    static EnqueueOutcome stored(EnqueueResult result) {
        return new EnqueueOutcome(result, null);
    }

    static EnqueueOutcome refused(IdempotencyConflictException refusal) {
        return new EnqueueOutcome(null, refusal);
    }
}
