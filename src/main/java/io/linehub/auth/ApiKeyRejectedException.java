package io.linehub.auth;

/**
 * A request's API key does not let it through: none was sent, it is unknown (or revoked), or it lacks the scope.
 * The message never contains the key, nor anything about the resource asked for.
 */
public class ApiKeyRejectedException extends RuntimeException {

    public enum Reason {
        /** No {@code Authorization: Bearer} header. */
        MISSING,
        /** A key the hub does not know, or one that was revoked. */
        UNKNOWN,
        /** A valid key without the scope the operation needs. */
        MISSING_SCOPE
    }

    private final Reason reason;

    public ApiKeyRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
