package io.linehub.auth;

import java.util.Locale;

/** What an API key may do: {@code send} notifications, {@code read} the hub's state, {@code admin} (replay, channel pauses, keys). */
public enum Scope {
    SEND, READ, ADMIN;

    /** The scope's name as the API and the routes write it: send, read, admin. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code word} (send, read, admin); IllegalArgumentException names the scopes there are. */
    public static Scope of(String word) {
        for (Scope s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + word + "' (send, read or admin)");
    }
}
