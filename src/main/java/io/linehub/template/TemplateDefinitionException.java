package io.linehub.template;

/**
 * A template file under config/templates/ is wrong. The message always names the file, the field
 * (or the top-level key when the problem is not about one field) and the reason:
 * {@code "payment_reminder.yaml: field 'amount': unknown field type 'currency' (expected one of ...)"}.
 */
public final class TemplateDefinitionException extends RuntimeException {

    private final String file;
    private final String field;
    private final String reason;

    public TemplateDefinitionException(String file, String field, String reason) {
        super(file + ": field '" + field + "': " + reason);
        this.file = file;
        this.field = field;
        this.reason = reason;
    }

    public TemplateDefinitionException(String file, String field, String reason, Throwable cause) {
        super(file + ": field '" + field + "': " + reason, cause);
        this.file = file;
        this.field = field;
        this.reason = reason;
    }

    /** File name of the broken template (e.g. {@code payment_reminder.yaml}). */
    public String file() {
        return file;
    }

    /** The field or top-level key the problem is about. */
    public String field() {
        return field;
    }

    /** Human sentence describing what is wrong. */
    public String reason() {
        return reason;
    }
}
