package io.linehub.template;

public class MissingTemplateKeyException extends RuntimeException {
    public MissingTemplateKeyException(String type, String country) {
        super("no LINE template key configured for " + type + " in " + country);
    }
}
