package io.linehub.auth;

/** DELETE of the key that comes from HUB_API_KEY: it is revoked by changing the setting, not through the API. */
public class KeyNotRevocableException extends RuntimeException {
    public KeyNotRevocableException(String message) {
        super(message, null, false, false);
    }
}
