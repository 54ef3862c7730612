package io.linehub.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates requests the hub sends to LINE against LINE's official OpenAPI files
 * (copied unchanged to src/main/resources/line-openapi/) and the hub's pnp-templated fragment.
 */
public final class LineOpenApi {

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new java.util.concurrent.ConcurrentHashMap<>();

    private LineOpenApi() {
    }

    /** The spec that describes a path: template LON lives in pnp-templated.yml, the rest in messaging-api.yml. */
    static String specFor(String path) {
        return path.startsWith("/v2/bot/message/pnp/templated") || path.startsWith("/v2/bot/message/delivery/pnp/templated")
                ? "pnp-templated.yml" : "messaging-api.yml";
    }

    private static OpenApiInteractionValidator validator(String spec) {
        return VALIDATORS.computeIfAbsent(spec, s -> {
            URL url = LineOpenApi.class.getResource("/line-openapi/" + s);
            if (url == null) {
                throw new IllegalStateException("missing /line-openapi/" + s + " on the classpath");
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            OpenAPI api = new OpenAPIV3Parser().read(url.toString(), null, options);
            requireDiscriminators(api);
            // LINE adds optional fields without notice (non-breaking changes); allOf subtypes also need this off.
            return OpenApiInteractionValidator.createFor(api)
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
        });
    }

    /**
     * LINE's files use discriminators (message {@code type}, action {@code type}) without listing the
     * discriminator property as required; the JSON-schema engine behind the validator refuses such a
     * schema outright. A discriminator only works when the property is present, so marking it required
     * is what LINE's own schema means.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void requireDiscriminators(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Map<String, Schema> bases = new java.util.HashMap<>();
        for (Map.Entry<String, Schema> e : schemas.entrySet()) {
            Schema schema = e.getValue();
            if (schema.getDiscriminator() != null) {
                String property = schema.getDiscriminator().getPropertyName();
                if (schema.getRequired() == null || !schema.getRequired().contains(property)) {
                    schema.addRequiredItem(property);
                }
                // Subtypes say allOf[$ref parent, …]; validating the parent there would dispatch on the
                // discriminator again. Give subtypes a copy of the parent without the discriminator.
                Schema base = new Schema();
                base.setType(schema.getType());
                base.setProperties(schema.getProperties());
                base.setRequired(schema.getRequired());
                bases.put(e.getKey() + "__base", base);
            }
        }
        schemas.putAll(bases);
        for (Schema schema : schemas.values()) {
            if (schema instanceof io.swagger.v3.oas.models.media.ComposedSchema composed && composed.getAllOf() != null) {
                for (Schema part : (List<Schema>) composed.getAllOf()) {
                    String ref = part.get$ref();
                    if (ref != null && bases.containsKey(ref.substring(ref.lastIndexOf('/') + 1) + "__base")) {
                        part.set$ref(ref + "__base");
                    }
                }
            }
        }
    }

    private static String describeNested(List<ValidationReport.Message> nested) {
        if (nested.isEmpty()) {
            return "";
        }
        return " " + nested.stream().map(n -> n.getMessage() + describeNested(n.getNestedMessages())).collect(Collectors.toList());
    }

    /**
     * Validates one request.
     *
     * @param method  HTTP method
     * @param path    path without host (query string allowed)
     * @param headers request headers (Authorization, Content-Type, X-Line-…)
     * @param body    the JSON body, or null
     * @return the error messages; empty when the request is valid
     */
    public static List<String> validate(String method, String path, Map<String, String> headers, String body) {
        String pathOnly = path;
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            pathOnly = path.substring(0, q);
            query = path.substring(q + 1);
        }
        SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(method.toUpperCase()), pathOnly);
        headers.forEach(b::withHeader);
        if (body != null) {
            b.withBody(body);
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                b.withQueryParam(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        ValidationReport report = validator(specFor(pathOnly)).validateRequest(b.build());
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage() + describeNested(m.getNestedMessages()) + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()))
                .collect(Collectors.toList());
    }
}
