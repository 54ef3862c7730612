package io.linehub.template;

public class InvalidNotificationDataException extends RuntimeException {
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
