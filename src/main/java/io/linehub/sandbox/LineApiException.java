package io.linehub.sandbox;

import java.util.Map;

/** Thrown by endpoint checks to answer with a LINE error; caught by {@link SandboxContext#lineApi}. */
final class LineApiException extends RuntimeException {

    private final int status;
    private final Object body;
    private final Map<String, String> headers;

    LineApiException(int status, LineError error) {
        this(status, error, error.message(), Map.of());
    }

    /** An error with a body other than {@link LineError} (e.g. push's 409 that repeats sentMessages) and extra headers. */
    LineApiException(int status, Object body, String message, Map<String, String> headers) {
        super(status + " " + message, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    Object body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }
}
