package io.linehub.sandbox;

/** Thrown by endpoint checks to answer with a LINE error; caught by {@link LineCall}. */
final class LineApiException extends RuntimeException {

    private final int status;
    private final LineError error;

    LineApiException(int status, LineError error) {
        super(status + " " + error.message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    int status() {
        return status;
    }

    LineError error() {
        return error;
    }
}
