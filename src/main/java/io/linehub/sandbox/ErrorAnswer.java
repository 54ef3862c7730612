package io.linehub.sandbox;

import java.util.Map;

/**
 * An error answer the sandbox gives as LINE would (status, body, extra headers): thrown by endpoint checks,
 * caught by {@link SandboxContext#lineApi} and written to the response. Not an exception the hub ever sees.
 */
final class ErrorAnswer extends RuntimeException {

    private final int status;
    private final Object body;
    private final Map<String, String> headers;

    ErrorAnswer(int status, LineError error) {
        this(status, error, error.message(), Map.of());
    }

    /** An error with a body other than {@link LineError} (e.g. push's 409 that repeats sentMessages) and extra headers. */
    ErrorAnswer(int status, Object body, String message, Map<String, String> headers) {
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
