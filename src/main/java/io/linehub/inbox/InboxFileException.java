package io.linehub.inbox;

/** The inbox file could not be read (to the end): it goes to .failed/. */
public class InboxFileException extends RuntimeException {
    public InboxFileException(String message) {
        super(message);
    }

    public InboxFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
