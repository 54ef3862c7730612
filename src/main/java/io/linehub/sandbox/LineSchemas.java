package io.linehub.sandbox;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates requests to LINE against LINE's official OpenAPI file ({@code /line-openapi/messaging-api.yml}, unchanged)
 * and the hub's template-LON fragment ({@code /line-openapi/pnp-templated.yml}). Used by the sandbox on every request
 * (when {@link SandboxConfig#validateRequests()}) and by the tests to check what the hub sends.
 *
 * <p>The spec is preprocessed once per file (see {@link #requireDiscriminators}); additional properties are
 * ignored because LINE adds optional fields without notice (README §1 "Non-breaking changes").
 * Thread-safe: the validators are built once and shared.
 */
public final class LineSchemas {

    /** One problem found in a request. */
    public record Violation(String key, String message, String property, String detail) {

        /** LINE-style {@code details[]} entry. */
        LineError.Detail toDetail() {
            return new LineError.Detail(message, property);
        }

        /** Whether it concerns the JSON body (else a header, query parameter, path or method). */
        public boolean inBody() {
            return key.startsWith("validation.request.body");
        }
    }

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static final Pattern MISSING = Pattern.compile("missing required properties \\(\\[(.*)\\]\\)");
    private static final Pattern ENUM = Pattern.compile("not found in enum \\(possible values: \\[(.*)\\]\\)");
    private static final Pattern PATH_PREFIX = Pattern.compile("^\\[Path '([^']*)'\\] ");
    private static final Pattern UNKNOWN_DISCRIMINATOR = Pattern.compile(
            "Discriminator field '([^']+)' value '.*' is not the name of a valid definition \\(possible values: \\[(.*)\\]\\)");
    /** Key of violations where a value has the wrong JSON type (LINE answers those with "The property, X, ... is invalid"). */
    public static final String TYPE_KEY = "validation.request.body.schema.type";

    private LineSchemas() {
    }

    /** The spec that describes a path: template LON lives in pnp-templated.yml, the rest in messaging-api.yml. */
    public static String specFor(String path) {
        return path.startsWith("/v2/bot/message/pnp/templated") || path.startsWith("/v2/bot/message/delivery/pnp/templated")
                ? "pnp-templated.yml" : "messaging-api.yml";
    }

    /** Parses and preprocesses both files now (takes about a second) instead of on the first request. */
    public static void warmUp() {
        validator("pnp-templated.yml");
        validator("messaging-api.yml");
    }

    private static OpenApiInteractionValidator validator(String spec) {
        return VALIDATORS.computeIfAbsent(spec, s -> {
            URL url = LineSchemas.class.getResource("/line-openapi/" + s);
            if (url == null) {
                throw new IllegalStateException("missing /line-openapi/" + s + " on the classpath");
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            OpenAPI api = new OpenAPIV3Parser().read(url.toString(), null, options);
            if (api == null) {
                throw new IllegalStateException("/line-openapi/" + s + " could not be parsed");
            }
            requireDiscriminators(api);
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
     * is what LINE's own schema means. Subtypes say {@code allOf[$ref parent, …]}; validating the parent
     * there would dispatch on the discriminator again, so subtypes get a copy of the parent without it.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void requireDiscriminators(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Map<String, Schema> bases = new HashMap<>();
        for (Map.Entry<String, Schema> e : schemas.entrySet()) {
            Schema schema = e.getValue();
            if (schema.getDiscriminator() != null) {
                String property = schema.getDiscriminator().getPropertyName();
                if (schema.getRequired() == null || !schema.getRequired().contains(property)) {
                    schema.addRequiredItem(property);
                }
                Schema base = new Schema();
                base.setType(schema.getType());
                base.setProperties(schema.getProperties());
                base.setRequired(schema.getRequired());
                bases.put(e.getKey() + "__base", base);
            }
        }
        schemas.putAll(bases);
        for (Schema schema : schemas.values()) {
            if (schema instanceof ComposedSchema composed && composed.getAllOf() != null) {
                for (Schema part : (List<Schema>) composed.getAllOf()) {
                    String ref = part.get$ref();
                    if (ref != null && bases.containsKey(ref.substring(ref.lastIndexOf('/') + 1) + "__base")) {
                        part.set$ref(ref + "__base");
                    }
                }
            }
        }
    }

    /**
     * Validates one request.
     *
     * @param method  HTTP method
     * @param path    path without host (query string allowed, not URL-decoded here beyond splitting)
     * @param headers request headers (Authorization, Content-Type, X-Line-…)
     * @param body    the JSON body, or null
     * @return the errors; empty when the request is valid
     */
    public static List<Violation> validate(String method, String path, Map<String, String> headers, String body) {
        String pathOnly = path;
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            pathOnly = path.substring(0, q);
            query = path.substring(q + 1);
        }
        SimpleRequest.Builder b = new SimpleRequest.Builder(Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), pathOnly);
        headers.forEach(b::withHeader);
        if (body != null) {
            b.withBody(body);
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                b.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        ValidationReport report = validator(specFor(pathOnly)).validateRequest(b.build());
        List<Violation> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                toViolations(m, out);
            }
        }
        return out;
    }

    /** LINE's channel-access-token.yml, parsed once (its form-encoded bodies are checked by {@link #validateForm}). */
    private static volatile OpenAPI tokenSpec;

    /**
     * Validates a form-encoded request ({@code application/x-www-form-urlencoded}, the token endpoints) against LINE's
     * {@code channel-access-token.yml}: the form must satisfy one of the body schema's alternatives ({@code oneOf}):
     * every required field present and non-empty, every enum field one of its values. (The validator behind
     * {@link #validate} reads JSON bodies only.) Additional fields are ignored, as for JSON bodies.
     *
     * @return the problems of the alternative that came closest; empty when the form is valid
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static List<Violation> validateForm(String method, String path, Map<String, String> form) {
        OpenAPI api = tokenSpec;
        if (api == null) {
            URL url = LineSchemas.class.getResource("/line-openapi/channel-access-token.yml");
            if (url == null) {
                throw new IllegalStateException("missing /line-openapi/channel-access-token.yml on the classpath");
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            api = new OpenAPIV3Parser().read(url.toString(), null, options);
            tokenSpec = api;
        }
        io.swagger.v3.oas.models.PathItem item = api.getPaths().get(path);
        io.swagger.v3.oas.models.Operation op = item == null ? null : "POST".equalsIgnoreCase(method) ? item.getPost() : null;
        if (op == null || op.getRequestBody() == null || op.getRequestBody().getContent() == null
                || op.getRequestBody().getContent().get("application/x-www-form-urlencoded") == null) {
            return List.of(new Violation("validation.request.operation.notAllowed", "No form-encoded " + method + " " + path + " in LINE's specification", null, null));
        }
        Schema body = op.getRequestBody().getContent().get("application/x-www-form-urlencoded").getSchema();
        List<Schema> alternatives = body instanceof ComposedSchema c && c.getOneOf() != null ? (List<Schema>) c.getOneOf() : List.of(body);
        List<Violation> closest = null;
        for (Schema alternative : alternatives) {
            Schema schema = alternative.get$ref() == null ? alternative
                    : api.getComponents().getSchemas().get(alternative.get$ref().substring(alternative.get$ref().lastIndexOf('/') + 1));
            List<Violation> problems = new ArrayList<>();
            for (String required : schema.getRequired() == null ? List.<String>of() : (List<String>) schema.getRequired()) {
                String v = form.get(required);
                if (v == null || v.isEmpty()) {
                    problems.add(new Violation("validation.request.body.schema.required", "May not be empty", required, null));
                }
            }
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            for (Map.Entry<String, Schema> p : properties.entrySet()) {
                String v = form.get(p.getKey());
                List<?> allowed = p.getValue().getEnum();
                if (v != null && allowed != null && !allowed.isEmpty() && allowed.stream().noneMatch(a -> String.valueOf(a).equals(v))) {
                    problems.add(new Violation("validation.request.body.schema.enum", "Must be one of the following values: "
                            + allowed, p.getKey(), null));
                }
            }
            if (problems.isEmpty()) {
                return List.of();
            }
            if (closest == null || problems.size() < closest.size()) {
                closest = problems;
            }
        }
        return closest == null ? List.of() : closest;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * One validator message as LINE-style violations: property path from the JSON pointer, LINE's wording where
     * known ("May not be empty", "Must be one of the following values: [...]"). Discriminator wrappers
     * ("Failed validation of discriminator schema ...") are replaced by the nested errors they carry.
     */
    private static void toViolations(ValidationReport.Message m, List<Violation> out) {
        String detail = m.getKey() + ": " + m.getMessage() + describeNested(m.getNestedMessages())
                + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo());
        String pointer = m.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                .map(ValidationReport.MessageContext.Pointers::getInstance).orElse(null);
        String fallback = property(pointer);
        if (fallback == null && m.getContext().flatMap(ValidationReport.MessageContext::getParameter).isPresent()) {
            fallback = m.getContext().get().getParameter().get().getName();
        }
        leaf(m.getKey(), m.getMessage(), m.getNestedMessages(), fallback, detail, out);
    }

    private static void leaf(String key, String text, List<ValidationReport.Message> nested, String fallback,
                             String detail, List<Violation> out) {
        String base = fallback;
        Matcher path = PATH_PREFIX.matcher(text);
        if (path.find()) {
            base = property(path.group(1));
            text = text.substring(path.end());
        }
        if (!nested.isEmpty()) { // wrapper (discriminator subtype, allOf): report what is inside
            for (ValidationReport.Message n : nested) {
                leaf(key, n.getMessage(), n.getNestedMessages(), base, detail, out);
            }
            return;
        }
        Matcher missing = MISSING.matcher(text);
        if (missing.find()) {
            for (String name : missing.group(1).split(",")) {
                String n = name.strip().replace("\"", "");
                add(out, new Violation(key, "May not be empty", base == null || base.isEmpty() ? n : base + "." + n, detail));
            }
            return;
        }
        Matcher en = ENUM.matcher(text);
        if (en.find()) {
            add(out, new Violation(key, "Must be one of the following values: [" + list(en.group(1)) + "]", base, detail));
            return;
        }
        Matcher disc = UNKNOWN_DISCRIMINATOR.matcher(text);
        if (disc.find()) {
            add(out, new Violation(key, "Must be one of the following values: [" + list(disc.group(2)) + "]",
                    base == null || base.isEmpty() ? disc.group(1) : base + "." + disc.group(1), detail));
            return;
        }
        if (text.startsWith("Could not find any schema spec for type") || text.startsWith("Discriminator field '")) {
            return; // said already by the message above ("Must be one of" / "May not be empty")
        }
        if (text.startsWith("Instance type (")) {
            key = TYPE_KEY;
        }
        add(out, new Violation(key, text, base == null || base.isEmpty() ? null : base, detail));
    }

    private static void add(List<Violation> out, Violation v) {
        for (Violation o : out) {
            if (java.util.Objects.equals(o.property(), v.property()) && o.message().equals(v.message())) {
                return;
            }
        }
        out.add(v);
    }

    private static String list(String quoted) {
        return java.util.Arrays.stream(quoted.split(","))
                .map(v -> v.strip().replace("\"", "")).collect(Collectors.joining(", "));
    }

    /** JSON pointer {@code /messages/0/text} to LINE's property path {@code messages[0].text}. */
    static String property(String pointer) {
        if (pointer == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String t = token.replace("~1", "/").replace("~0", "~");
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(t).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private static String describeNested(List<ValidationReport.Message> nested) {
        if (nested.isEmpty()) {
            return "";
        }
        return " " + nested.stream().map(n -> n.getMessage() + describeNested(n.getNestedMessages())).collect(Collectors.toList());
    }
}
