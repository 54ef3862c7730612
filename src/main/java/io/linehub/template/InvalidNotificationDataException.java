package io.linehub.template;

/**
 * The business data of a notification does not fit its template, or the rendered result would break
 * one of LINE's limits. {@link #field()} is like {@code "data.orderNumber"} (or {@code "type"} for an
 * unknown template type) and {@link #reason()} is a human sentence.
 */
public final class InvalidNotificationDataException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidNotificationDataException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
