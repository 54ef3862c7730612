package io.linehub.rows;

/** The rows cannot be read at all (no usable header, not UTF-8, unknown format); the inbox moves such a file to .failed/. */
public class UnreadableRowsException extends RuntimeException {
    public UnreadableRowsException(String message) {
        super(message);
    }

    public UnreadableRowsException(String message, Throwable cause) {
        super(message, cause);
    }
}
