package io.linehub.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scope map lives in the routes' YAML: every platform-http route under /api/ (but the API's own description)
 * starts with {@code apiAuth.require(*, '<scope>')}, and the map is the one docs/api.md documents.
 */
class RouteScopesTest {

    private static final Pattern REQUIRE = Pattern.compile("require\\(\\*, '([a-z]+)'\\)");

    @Test
    void everyApiRouteFirstRequiresItsScope() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, String> scopes = new TreeMap<>();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : yaml.readTree(f.toFile())) {
                    JsonNode from = item.at("/route/from");
                    String uri = from.path("uri").asText();
                    if (!uri.startsWith("platform-http:/api/")) {
                        continue;
                    }
                    String path = uri.substring("platform-http:".length());
                    String op = from.at("/parameters/httpMethodRestrict").asText("GET").toUpperCase(Locale.ROOT) + " " + path;
                    if (path.equals("/api/openapi.yaml")) {
                        assertThat(from.path("steps").toString()).as(op + " stays open").doesNotContain("apiAuth");
                        continue;
                    }
                    JsonNode first = from.path("steps").path(0).path("bean");
                    assertThat(first.path("ref").asText()).as(op + ": first step").isEqualTo("apiAuth");
                    Matcher m = REQUIRE.matcher(first.path("method").asText());
                    assertThat(m.matches()).as(op + ": " + first.path("method").asText()).isTrue();
                    scopes.put(op, Scope.of(m.group(1)).word());
                }
            }
        }
        // a mapped webhook is no /api route: the caller's signature comes first (decision 0026)
        JsonNode webhook = yaml.readTree(Path.of("routes/mapped-webhook.camel.yaml").toFile()).path(0).path("routeTemplate");
        assertThat(webhook.at("/route/from/uri").asText()).startsWith("platform-http:");
        assertThat(webhook.at("/route/from/steps/0/bean/method").asText()).as("mapped-webhook: first step").isEqualTo("verify");
        assertThat(webhook.at("/beans/0/type").asText()).isEqualTo("#class:io.linehub.mapping.MappedWebhook");
        Map<String, String> known = Map.ofEntries(
                Map.entry("POST /api/notifications", "send"),
                Map.entry("POST /api/notifications/batch", "send"),
                Map.entry("GET /api/notifications/{id}", "read"),
                Map.entry("GET /api/dead-letters", "read"),
                Map.entry("GET /api/channels/paused", "read"),
                Map.entry("GET /api/templates", "read"),
                Map.entry("POST /api/templates/{type}/preview", "read"),
                Map.entry("POST /api/notifications/{id}/replay", "admin"),
                Map.entry("POST /api/keys", "admin"),
                Map.entry("GET /api/keys", "admin"),
                Map.entry("DELETE /api/keys/{id}", "admin"));
        assertThat(scopes).containsAllEntriesOf(known);
        String api = Files.readString(Path.of("docs/api.md"));
        known.forEach((op, scope) -> assertThat(api).as("docs/api.md lists " + op).contains("| `" + op + "` | `" + scope + "` |"));
    }
}
