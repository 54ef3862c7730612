package io.linehub.sandbox;

/** Log-safe forms of personal data (hashed numbers are reversible by enumeration, README §4.3). */
final class Redact {

    private Redact() {
    }

    /** First 6 characters and the length, e.g. {@code 7fc93a…(64)}. */
    static String hash(String h) {
        if (h == null) {
            return "null";
        }
        return (h.length() <= 6 ? h : h.substring(0, 6) + "…") + "(" + h.length() + ")";
    }
}
