package io.linehub.api;

import io.linehub.auth.AdminAudit;
import io.linehub.auth.ApiKey;
import io.linehub.auth.ApiKeys;
import io.linehub.auth.Scope;
import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;

import java.util.Locale;

/**
 * The API routes' first step, {@code bean: {ref: apiAuth, method: "require(*, 'send')"}}: the request's
 * {@code Authorization: Bearer <key>} must name an active key holding the scope, else 401 / 403 (through
 * {@link ApiErrors}) before anything else of the route runs. The key (id, name, scopes) goes on the exchange
 * ({@link HubHeaders#API_KEY}); the Authorization header is removed so it goes no further (nor back in the answer).
 * {@code audit} is the step admin routes end with.
 */
public class ApiAuth {

    private final ApiKeys keys;
    private final AdminAudit audit;

    public ApiAuth(ApiKeys keys, AdminAudit audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public void require(Exchange exchange, String scope) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        ApiKey key = keys.authorize(bearer(header), Scope.of(scope));
        exchange.setProperty(HubHeaders.API_KEY, key);
    }

    /** Records an admin action of the key that authorised this request on {@code target}. */
    public void audit(Exchange exchange, String action, String target) {
        ApiKey key = exchange.getProperty(HubHeaders.API_KEY, ApiKey.class);
        if (key == null) {
            throw new IllegalStateException("audit step before apiAuth.require in the route");
        }
        audit.record(key, action, target);
    }

    /** The key of {@code Bearer <key>} (scheme case-insensitive), or null when absent or another scheme. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String key = h.substring(7).trim();
        return key.isEmpty() ? null : key;
    }
}
