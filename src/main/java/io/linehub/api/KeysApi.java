package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.auth.ApiKey;
import io.linehub.auth.ApiKeys;
import io.linehub.auth.CreatedApiKey;
import io.linehub.auth.AdminAudit;
import io.linehub.auth.Scope;
import io.linehub.headers.HubHeaders;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import org.apache.camel.Exchange;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code POST /api/keys}, {@code GET /api/keys}, {@code DELETE /api/keys/{id}} (routes/keys-api.camel.yaml, scope admin). */
public class KeysApi {

    private final ApiKeys keys;
    private final AdminAudit audit;

    public KeysApi(ApiKeys keys, AdminAudit audit) {
        this.keys = keys;
        this.audit = audit;
    }

    /** {@code {"name":"erp","scopes":["send"]}} → 201 with the key's text, shown this once. */
    public void create(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new RequestRejectedException("body", "not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new RequestRejectedException("body", "expected a JSON object {\"name\": …, \"scopes\": […]}");
        }
        for (Iterator<String> f = json.fieldNames(); f.hasNext(); ) {
            String field = f.next();
            if (!field.equals("name") && !field.equals("scopes")) {
                throw new RequestRejectedException(field, "unknown field (a key has name and scopes)");
            }
        }
        JsonNode name = json.path("name");
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 100) {
            throw new RequestRejectedException("name", "a name of 1 to 100 characters is required");
        }
        JsonNode scopes = json.path("scopes");
        if (!scopes.isArray() || scopes.isEmpty()) {
            throw new RequestRejectedException("scopes", "a non-empty array of send, read, admin is required");
        }
        Set<Scope> set = EnumSet.noneOf(Scope.class);
        for (JsonNode s : scopes) {
            try {
                set.add(Scope.of(s.isTextual() ? s.asText() : String.valueOf(s)));
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException("scopes", e.getMessage());
            }
        }
        CreatedApiKey created = keys.create(name.asText().trim(), set);
        audit.record(caller(exchange), "key.create", created.key().id() + " (" + created.key().name() + ")");
        Map<String, Object> out = view(created.key());
        out.remove("lastUsedAt");
        out.put("key", created.secret());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader("Location", "/api/keys/" + created.key().id());
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(out));
    }

    /** The active keys without their text: id, name, scopes, source, createdAt, lastUsedAt. */
    public void list(Exchange exchange) {
        List<Map<String, Object>> out = keys.list().stream().map(KeysApi::view).toList();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(out));
    }

    /** Revokes at once: 204; 404 for no active key with this id; 409 for the HUB_API_KEY key. */
    public void revoke(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        ApiKey revoked = (id == null || id.length() > 36 ? java.util.Optional.<ApiKey>empty() : keys.revoke(id))
                .orElseThrow(() -> new NotFoundException("no active API key with this id"));
        audit.record(caller(exchange), "key.revoke", revoked.id() + " (" + revoked.name() + ")");
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    private static ApiKey caller(Exchange exchange) {
        return exchange.getProperty(HubHeaders.API_KEY, ApiKey.class);
    }

    private static Map<String, Object> view(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("scopes", k.scopes().stream().sorted().map(Scope::word).toList());
        m.put("source", k.source());
        m.put("createdAt", k.createdAt());
        m.put("lastUsedAt", k.lastUsedAt());
        return m;
    }
}
