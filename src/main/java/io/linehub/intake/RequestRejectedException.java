package io.linehub.intake;

/**
 * A request the hub refuses: the field, the reason (never the value, which may be personal data) and what kind
 * of refusal it is, in the domain's words. How a kind is answered is up to the trigger: the HTTP API maps it to a
 * status ({@code api/ApiErrors}); the inbox, the ERP poller and the schedules report the field and the reason.
 */
public class RequestRejectedException extends RuntimeException {

    /**
     * What kind of refusal: the input is wrong, too big, in a format not taken, conflicts with the state, LINE cannot
     * reach the recipient, or the channel is not approved by LINE for what was asked (flexible LON without approval);
     * UNAUTHENTICATED: the caller did not prove who it is (a mapped webhook's missing or wrong signature).
     */
    public enum Kind {
        INVALID, TOO_LARGE, UNSUPPORTED_FORMAT, CONFLICT, UNREACHABLE, NOT_APPROVED, UNAUTHENTICATED
    }

    private final Kind kind;
    private final String field;
    private final String reason;

    public RequestRejectedException(String field, String reason) {
        this(Kind.INVALID, field, reason);
    }

    public RequestRejectedException(Kind kind, String field, String reason) {
        super(field + ": " + reason);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
