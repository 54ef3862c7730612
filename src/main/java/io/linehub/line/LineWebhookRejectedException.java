package io.linehub.line;

/**
 * A webhook request that is signed (or not yet checked) but cannot be taken as LINE's webhook: a body that is not
 * JSON, a JSON body without an {@code events} array, a content type other than JSON. The webhook route answers it
 * with the hub's JSON error naming {@link #field()} (never the submitted value).
 */
public class LineWebhookRejectedException extends RuntimeException {

    private final int status;
    private final String field;
    private final String reason;

    public LineWebhookRejectedException(int status, String field, String reason) {
        super(field + ": " + reason);
        this.status = status;
        this.field = field;
        this.reason = reason;
    }

    /** 400 (the body is malformed) or 415 (not JSON at all). */
    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
