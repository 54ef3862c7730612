package io.linehub.inbox;

/** The inbox file cannot be read at all (no usable header, not UTF-8, unknown format): it goes to .failed/. */
public class InboxFileException extends RuntimeException {
    public InboxFileException(String message) {
        super(message);
    }

    public InboxFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
