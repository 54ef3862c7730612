package io.linehub.dashboard;

import io.linehub.auth.ApiKey;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in sessions, kept on the server: the browser holds only a random token (the cookie), the map
 * holds its SHA-256. A session ends after {@code idle} without a request, after {@code longest} in any case, or on
 * sign-out. It keeps the API key presented at sign-in so every request is authorised again ({@code ApiKeys.authorize}):
 * a key revoked meanwhile ends its sessions at once. Sessions live in this hub's memory only: a restart, or another hub
 * of a cluster, asks to sign in again.
 */
public class DashboardSessions {

    /** A signed-in browser: the key it signed in with (its text stays here, never in a page or a log) and its CSRF token. */
    public record Session(String tokenHash, String presentedKey, ApiKey key, String csrf, Instant createdAt, Instant lastSeen) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_SESSIONS = 10_000;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration longest;

    public DashboardSessions(Clock clock, Duration idle, Duration longest) {
        this.clock = clock;
        this.idle = idle;
        this.longest = longest;
    }

    public Duration idle() {
        return idle;
    }

    /** A new session for a key that was just authorised; the answer's first element is the cookie's token. */
    public String[] open(String presentedKey, ApiKey key) {
        purge();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparing(Session::lastSeen)).ifPresent(s -> sessions.remove(s.tokenHash()));
        }
        String token = random();
        Instant now = clock.instant();
        Session s = new Session(hash(token), presentedKey, key, random(), now, now);
        sessions.put(s.tokenHash(), s);
        return new String[]{token, s.csrf()};
    }

    /** The live session of this cookie token (its last use noted), or empty when unknown or expired. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String h = hash(token);
        Session s = sessions.get(h);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(h);
            return Optional.empty();
        }
        Session seen = new Session(s.tokenHash(), s.presentedKey(), s.key(), s.csrf(), s.createdAt(), now);
        sessions.put(h, seen);
        return Optional.of(seen);
    }

    public void close(Session s) {
        sessions.remove(s.tokenHash());
    }

    /** Whether the form's CSRF token is the session's (constant time). */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen().plus(idle).isBefore(now) || s.createdAt().plus(longest).isBefore(now);
    }

    private void purge() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
