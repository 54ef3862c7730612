package io.linehub.outbox;

/** The same Idempotency-Key was used before with a different request. */
public class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String existingId) {
        super("Idempotency-Key was already used for a different request (notification " + existingId + ")");
    }
}
