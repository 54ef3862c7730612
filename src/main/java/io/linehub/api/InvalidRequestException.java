package io.linehub.api;

/** A request the hub refuses; names the field and the reason (never the value, which may be personal data). */
public class InvalidRequestException extends RuntimeException {

    private final int status;
    private final String field;
    private final String reason;

    public InvalidRequestException(String field, String reason) {
        this(400, field, reason);
    }

    public InvalidRequestException(int status, String field, String reason) {
        super(field + ": " + reason);
        this.status = status;
        this.field = field;
        this.reason = reason;
    }

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
