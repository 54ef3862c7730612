package io.linehub.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as the hub shows it: never its text, which exists only in the answer that created it (and, for the
 * quick-start key, in {@code $HUB_DATA_DIR/api-key}).
 *
 * @param source {@code api}, {@code quick-start} or {@code environment} (HUB_API_KEY)
 * @param lastUsedAt null when never used
 */
public record ApiKey(String id, String name, Set<Scope> scopes, String source, Instant createdAt, Instant lastUsedAt) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    ApiKey usedAt(Instant at) {
        return new ApiKey(id, name, scopes, source, createdAt, at);
    }
}
