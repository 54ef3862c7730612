package io.linehub.template;

/**
 * A notification type was to be sent as a LINE notification message (template) for a country whose
 * LINE template key has not been configured. The message is exactly
 * {@code "no LINE template key configured for <type> in <country>"}.
 */
public final class MissingTemplateKeyException extends RuntimeException {

    private final String type;
    private final String country;

    public MissingTemplateKeyException(String type, String country) {
        super(message(type, country));
        this.type = type;
        this.country = country;
    }

    static String message(String type, String country) {
        return "no LINE template key configured for " + type + " in " + country;
    }

    public String type() {
        return type;
    }

    public String country() {
        return country;
    }
}
