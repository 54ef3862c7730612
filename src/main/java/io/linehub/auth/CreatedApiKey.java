package io.linehub.auth;

/** A key just created: its description and its text, which the hub shows this once and never stores. */
public record CreatedApiKey(ApiKey key, String secret) {

    @Override
    public String toString() {
        return "CreatedApiKey[" + key + ", secret=***]";
    }
}
