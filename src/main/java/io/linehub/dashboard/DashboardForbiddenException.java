package io.linehub.dashboard;

/** An action the session may not take (a read key, a missing CSRF token, another site): 403. */
public class DashboardForbiddenException extends RuntimeException {

    public DashboardForbiddenException(String message) {
        super(message);
    }
}
