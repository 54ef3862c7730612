package io.linehub.sandbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The hashed phone numbers (SHA-256 of the E.164 string, 64 lowercase hex, README §4.3) of LINE users
 * who would receive a LINE notification message. A template push to any other valid hash is answered
 * with 422 (unless {@link SandboxConfig#acceptAllNumbers()}). Thread-safe.
 */
public final class PhoneDirectory {

    static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

    private final Set<String> hashes = ConcurrentHashMap.newKeySet();

    PhoneDirectory() {
    }

    /** Adds a hashed number; must be 64 lowercase hex characters, as LINE expects in {@code to}. */
    public void add(String sha256Hex) {
        hashes.add(requireHash(sha256Hex));
    }

    public void remove(String h) {
        if (h != null) {
            hashes.remove(h);
        }
    }

    public boolean contains(String h) {
        return h != null && hashes.contains(h);
    }

    public int size() {
        return hashes.size();
    }

    private static String requireHash(String h) {
        if (h == null || !SHA256_HEX.matcher(h).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest in 64 lowercase hex characters: " + Redact.hash(h));
        }
        return h;
    }
}
