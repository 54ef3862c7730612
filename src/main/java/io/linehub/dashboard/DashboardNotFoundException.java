package io.linehub.dashboard;

/** The page names something that does not exist: 404. */
public class DashboardNotFoundException extends RuntimeException {

    public DashboardNotFoundException(String message) {
        super(message);
    }
}
