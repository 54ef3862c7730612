package io.linehub.dashboard;

/** A dashboard form field that cannot be used: the page answers 400 naming the field and the reason. */
public class DashboardInputException extends RuntimeException {

    private final String field;

    public DashboardInputException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
