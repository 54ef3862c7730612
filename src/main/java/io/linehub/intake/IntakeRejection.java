package io.linehub.intake;


import io.linehub.outbox.IdempotencyConflictException;
import io.linehub.template.InvalidNotificationDataException;
import io.linehub.template.MissingTemplateKeyException;

/**
 * Why intake refused one notification, as the triggers that are not HTTP report it (a file row, an ERP row,
 * a batch item): the field and the reason, never the value. The same classification as the API's errors.
 *
 * @param error   invalid_request, not_configured, idempotency_key_reused or internal_error
 * @param field   the field in the API's JSON form (or Idempotency-Key), null when none applies
 * @param reason  human-readable reason
 */
public record IntakeRejection(String error, String field, String reason) {

    public static IntakeRejection of(Throwable failure) {
        Throwable e = failure;
        while (e != null && !known(e) && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        if (e instanceof RequestRejectedException ir) {
            return new IntakeRejection("invalid_request", ir.field(), ir.reason());
        }
        if (e instanceof InvalidNotificationDataException nd) {
            return new IntakeRejection("invalid_request", nd.field(), nd.reason());
        }
        if (e instanceof MissingTemplateKeyException mk) {
            return new IntakeRejection("not_configured", "type", mk.getMessage());
        }
        if (e instanceof IdempotencyConflictException ic) {
            return new IntakeRejection("idempotency_key_reused", "Idempotency-Key", ic.getMessage());
        }
        return new IntakeRejection("internal_error", null, "the hub could not accept it: "
                + (failure == null ? "unknown error" : failure.getClass().getSimpleName()));
    }

    /** Whether the hub may try the same item again later (a database outage), rather than report it refused for good. */
    public boolean retryable() {
        return error.equals("internal_error");
    }

    private static boolean known(Throwable e) {
        return e instanceof RequestRejectedException || e instanceof InvalidNotificationDataException
                || e instanceof MissingTemplateKeyException || e instanceof IdempotencyConflictException;
    }
}
