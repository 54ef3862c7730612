package io.linehub.line;

import java.util.List;

/**
 * LINE refused a request, or it could not be sent. Carries LINE's status, {@code message} and {@code details},
 * and the classification the delivery engine acts on. Messages never contain tokens or phone numbers.
 */
public class LineApiException extends RuntimeException {

    /** One entry of LINE's {@code details} array. */
    public record Detail(String property, String message) {
    }

    private final int status;
    private final String lineMessage;
    private final List<Detail> details;
    private final String lineRequestId;
    private final LineErrorKind kind;
    private final boolean certainlyNotSent;

    public LineApiException(int status, String lineMessage, List<Detail> details, String lineRequestId,
                            LineErrorKind kind, boolean certainlyNotSent, Throwable cause) {
        super(describe(status, lineMessage, details), cause);
        this.status = status;
        this.lineMessage = lineMessage;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.lineRequestId = lineRequestId;
        this.kind = kind;
        this.certainlyNotSent = certainlyNotSent;
    }

    private static String describe(int status, String message, List<Detail> details) {
        StringBuilder b = new StringBuilder(status > 0 ? "LINE answered " + status : "LINE could not be reached");
        if (message != null) {
            b.append(": ").append(message);
        }
        if (details != null && !details.isEmpty()) {
            b.append(" ").append(details.stream().map(d -> (d.property() == null ? "" : d.property() + ": ") + d.message()).toList());
        }
        return b.toString();
    }

    /** HTTP status, or 0 when no answer came (connection failure, timeout). */
    public int status() {
        return status;
    }

    public String lineMessage() {
        return lineMessage;
    }

    public List<Detail> details() {
        return details;
    }

    public String lineRequestId() {
        return lineRequestId;
    }

    public LineErrorKind kind() {
        return kind;
    }

    /**
     * True only when the request certainly never reached LINE (e.g. the connection was refused); false when it
     * may have (timeout, 5xx). LON has no retry key, so only the first kind may be resent blindly.
     */
    public boolean certainlyNotSent() {
        return certainlyNotSent;
    }
}
