package io.linehub.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's OpenAPI document (src/main/resources/openapi/hub-api.yaml) against the routes: every platform-http
 * route in routes/ is described and nothing else is; every request example validates against the document; the
 * hub serves it at GET /api/openapi.yaml.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static String spec() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static TreeSet<String> routeOperations() throws Exception {
        TreeSet<String> ops = new TreeSet<>();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : YAML.readTree(f.toFile())) {
                    JsonNode from = item.at("/route/from");
                    String uri = from.path("uri").asText();
                    if (uri.startsWith("platform-http:")) {
                        String method = from.at("/parameters/httpMethodRestrict").asText("GET");
                        for (String m : method.split(",")) {
                            ops.add(m.trim().toUpperCase(Locale.ROOT) + " " + uri.substring("platform-http:".length()));
                        }
                    }
                }
            }
        }
        return ops;
    }

    @Test
    void everyHttpRouteIsDescribedAndNothingElse() throws Exception {
        JsonNode paths = YAML.readTree(spec()).path("paths");
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
                documented.add(m.next().toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }
        assertThat(documented).isEqualTo(routeOperations());
    }

    @Test
    void everyRequestExampleValidatesAgainstTheDocument() throws Exception {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(spec()).build();
        JsonNode paths = YAML.readTree(spec()).path("paths");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode content = op.getValue().at("/requestBody/content");
                for (Iterator<Map.Entry<String, JsonNode>> media = content.fields(); media.hasNext(); ) {
                    Map.Entry<String, JsonNode> mt = media.next();
                    JsonNode example = mt.getValue().path("example");
                    if (example.isMissingNode()) {
                        continue;
                    }
                    String body = example.isTextual() ? example.asText() : Json.write(example);
                    String path = p.getKey().replace("{id}", "0d2c").replace("{type}", "shipping_complete").replace("{channel}", "default");
                    SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(op.getKey().toUpperCase(Locale.ROOT)), path)
                            .withContentType(mt.getKey()).withBody(body);
                    if (path.startsWith("/webhook")) {
                        b.withHeader("x-line-signature", "c2lnbmF0dXJl");
                    }
                    if (path.startsWith("/api/")) {
                        b.withHeader("Authorization", "Bearer " + TestHub.API_KEY);
                    }
                    ValidationReport report = validator.validateRequest(b.build());
                    assertThat(report.getMessages()).as("%s %s (%s)", op.getKey(), p.getKey(), mt.getKey()).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
        // and a request the document forbids is caught: the validator is not a no-op
        ValidationReport bad = validator.validateRequest(SimpleRequest.Builder.post("/api/notifications").withContentType("application/json")
                .withHeader("Authorization", "Bearer " + TestHub.API_KEY)
                .withBody("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1\"},\"data\":{},\"priority\":\"high\"}").build());
        assertThat(bad.hasErrors()).isTrue();
    }

    @Test
    void theHubServesTheDocumentAndAcceptsItsExamples(@TempDir Path dataDir) throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of())) {
            HttpResponse<String> doc = hub.get("/api/openapi.yaml");
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(doc.body()).isEqualTo(spec());
            JsonNode paths = YAML.readTree(spec()).path("paths");
            String single = Json.write(paths.at("/~1api~1notifications/post/requestBody/content/application~1json/example"));
            assertThat(hub.post("/api/notifications", single).statusCode()).isEqualTo(202);
            String batch = Json.write(paths.at("/~1api~1notifications~1batch/post/requestBody/content/application~1json/example"));
            HttpResponse<String> r = hub.post("/api/notifications/batch", batch);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String ndjson = paths.at("/~1api~1notifications~1batch/post/requestBody/content/application~1x-ndjson/example").asText();
            assertThat(hub.post("/api/notifications/batch", ndjson, "Content-Type", "application/x-ndjson").statusCode()).isEqualTo(200);
        }
    }
}
