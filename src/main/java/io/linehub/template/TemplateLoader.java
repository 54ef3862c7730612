package io.linehub.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks one template YAML file. Every failure names the file, the field and the reason. */
final class TemplateLoader {

    static final int MAX_ITEMS = 15;
    static final int MAX_BUTTONS = 2;
    static final int MAX_EMPHASIZED = 15;
    static final int MAX_ITEM_CONTENT = 300;
    static final int MAX_ALT_TEXT = 1500;
    /** Flex button (URI action) labels: LINE's limit for action labels is 20 characters. */
    static final int MAX_BUTTON_LABEL = 20;
    static final Set<String> LAYOUTS = Set.of("receipt", "ticket", "alert", "status");

    private static final Set<String> TOP_KEYS = Set.of("type", "description", "layout", "accentColor", "fields", "texts", "lon", "sample", "samples",
            "quietHours", "urgent");
    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "required", "maxLength", "currencies", "emphasized", "button", "instant", "labels");
    private static final Set<String> LON_KEYS = Set.of("templateKey", "items", "buttons");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final String file;

    private TemplateLoader(String file) {
        this.file = file;
    }

    private TemplateDefinitionException fail(String field, String reason) {
        return new TemplateDefinitionException(file, field, reason);
    }

    static NotificationTemplate load(Path path) {
        String file = path.getFileName().toString();
        TemplateLoader l = new TemplateLoader(file);
        JsonNode root;
        String version;
        try {
            byte[] bytes = Files.readAllBytes(path);
            version = sha256(bytes);
            root = YAML.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
            if (m.find()) {
                throw new TemplateDefinitionException(file, m.group(1), "duplicate key '" + m.group(1) + "' in the YAML" + location(e), e);
            }
            throw new TemplateDefinitionException(file, "-", "not valid YAML: " + e.getOriginalMessage() + location(e), e);
        } catch (IOException e) {
            throw new TemplateDefinitionException(file, "-", "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw l.fail("-", "must be a YAML mapping with type, fields, texts, lon and sample");
        }
        return l.parse(root, version);
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private NotificationTemplate parse(JsonNode root, String version) {
        unknownKeys(root, TOP_KEYS, "", "template");
        String type = requiredText(root, "type", "type");
        if (!TYPE.matcher(type).matches()) {
            throw fail("type", "'" + type + "' must be lower-case snake_case");
        }
        String base = file.replaceFirst("\\.ya?ml$", "");
        if (!base.equals(type)) {
            throw fail("type", "is '" + type + "' but the file is named " + file + "; name the file " + type + ".yaml");
        }
        String description = requiredText(root, "description", "description");
        String layout = root.path("layout").asText("receipt");
        if (!LAYOUTS.contains(layout)) {
            throw fail("layout", "unknown layout '" + layout + "' (expected one of receipt, ticket, alert, status)");
        }
        String accent = root.path("accentColor").asText("#06C755");
        if (!accent.matches("#[0-9A-Fa-f]{6}")) {
            throw fail("accentColor", "'" + accent + "' must be a colour like #06C755");
        }
        List<TemplateField> fields = fields(root.get("fields"));
        Map<String, NotificationTemplate.Texts> texts = texts(root.get("texts"), fields);
        Map<String, LonMapping> lon = lon(root.get("lon"), fields);
        Map<String, ObjectNode> samples = samples(root);
        io.linehub.quiet.QuietHours quietHours;
        try {
            quietHours = root.has("quietHours") ? io.linehub.quiet.QuietHours.parse(requiredText(root, "quietHours", "quietHours")).orElse(null) : null;
        } catch (IllegalArgumentException e) {
            throw fail("quietHours", e.getMessage());
        }
        JsonNode urgentNode = root.get("urgent");
        if (urgentNode != null && !urgentNode.isBoolean()) {
            throw fail("urgent", "must be true or false");
        }
        boolean urgent = urgentNode != null && urgentNode.booleanValue();
        NotificationTemplate t = new NotificationTemplate(type, description, layout, accent, fields, texts, lon, samples, file, version,
                quietHours, urgent);
        for (Map.Entry<String, ObjectNode> s : samples.entrySet()) {
            String prefix = root.has("samples") ? "samples." + s.getKey() : "sample";
            try {
                DataValidator.validate(t, s.getValue(), prefix);
            } catch (InvalidNotificationDataException e) {
                throw fail(e.field(), e.reason());
            }
        }
        return t;
    }

    /**
     * {@code samples:} one per language (th, en, ja, zh-TW: each in its market's names, places, currency and links), or
     * {@code sample:} one for every language (fixtures).
     */
    private Map<String, ObjectNode> samples(JsonNode root) {
        JsonNode one = root.get("sample");
        JsonNode per = root.get("samples");
        if (one != null && per != null) {
            throw fail("samples", "give either samples (one per language) or sample, not both");
        }
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        if (per != null) {
            if (!per.isObject()) {
                throw fail("samples", "must map each language (th, en, ja, zh-TW) to sample data");
            }
            unknownKeys(per, Set.copyOf(RenderOptions.LANGUAGES), "samples.", "samples");
            for (String lang : RenderOptions.LANGUAGES) {
                JsonNode s = per.get(lang);
                if (s == null || !s.isObject()) {
                    throw fail("samples." + lang, "is missing; every template ships a realistic sample in each language");
                }
                out.put(lang, (ObjectNode) s);
            }
            return out;
        }
        if (one == null || !one.isObject()) {
            throw fail("samples", "is missing; every template ships sample data (a mapping of field names to values per language) for previews and tests");
        }
        RenderOptions.LANGUAGES.forEach(lang -> out.put(lang, (ObjectNode) one));
        return out;
    }

    private void unknownKeys(JsonNode node, Set<String> allowed, String prefix, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw fail(prefix + k, "unknown key '" + k + "' in " + what + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private String requiredText(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw fail(field, "is missing or empty");
        }
        return v.asText();
    }

    private List<TemplateField> fields(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw fail("fields", "must be a non-empty list of fields");
        }
        List<TemplateField> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            if (!f.isObject() || !f.path("name").isTextual()) {
                throw fail("fields[" + i + "]", "every field needs a name");
            }
            String name = f.get("name").asText();
            if (!NAME.matcher(name).matches()) {
                throw fail(name, "field names are lowerCamelCase letters and digits");
            }
            if (!names.add(name)) {
                throw fail(name, "duplicate field name '" + name + "'");
            }
            unknownKeys(f, FIELD_KEYS, name + ".", "field " + name);
            String typeName = f.path("type").asText("");
            FieldType type = FieldType.parse(typeName).orElseThrow(() ->
                    fail(name, "unknown field type '" + typeName + "' (expected one of " + FieldType.allNames() + ")"));
            boolean required = bool(f, "required", name);
            boolean emphasized = bool(f, "emphasized", name);
            boolean button = bool(f, "button", name);
            boolean instant = bool(f, "instant", name);
            if (instant && type != FieldType.DATETIME) {
                throw fail(name, "instant is only for datetime fields");
            }
            int defaultMax = switch (type) {
                case TEXT -> MAX_ITEM_CONTENT;
                case ID -> 64;
                case URL -> DataValidator.MAX_URL;
                default -> MAX_ITEM_CONTENT;
            };
            int maxLength = f.has("maxLength") ? f.get("maxLength").asInt(-1) : defaultMax;
            if (maxLength < 1) {
                throw fail(name, "maxLength must be a positive whole number");
            }
            if (type == FieldType.URL && maxLength > DataValidator.MAX_URL) {
                throw fail(name, "maxLength " + maxLength + " breaks LINE's limit: URLs are at most " + DataValidator.MAX_URL + " characters");
            }
            if (type != FieldType.URL && maxLength > MAX_ITEM_CONTENT) {
                throw fail(name, "maxLength " + maxLength + " breaks LINE's limit: item content is at most " + MAX_ITEM_CONTENT + " characters");
            }
            if (emphasized && (type == FieldType.TEXT || type == FieldType.ID) && maxLength > MAX_EMPHASIZED) {
                throw fail(name, "is emphasised but its maxLength is " + maxLength + "; LINE shows at most " + MAX_EMPHASIZED + " characters in the emphasised item");
            }
            if (emphasized && type == FieldType.URL) {
                throw fail(name, "a url field cannot be the emphasised item");
            }
            if (emphasized && !required) {
                throw fail(name, "the emphasised field must be required");
            }
            if (button && type != FieldType.URL) {
                throw fail(name, "only url fields can be buttons, this one is " + type.yamlName());
            }
            List<String> currencies = new ArrayList<>();
            if (f.has("currencies")) {
                if (type != FieldType.MONEY) {
                    throw fail(name, "currencies is only for money fields");
                }
                for (JsonNode c : f.get("currencies")) {
                    try {
                        Currency.getInstance(c.asText());
                    } catch (IllegalArgumentException e) {
                        throw fail(name, "'" + c.asText() + "' is not an ISO 4217 currency code");
                    }
                    currencies.add(c.asText());
                }
            }
            Map<String, String> labels = languages(f.get("labels"), name, "labels");
            if (button) {
                for (Map.Entry<String, String> e : labels.entrySet()) {
                    if (DataValidator.graphemes(e.getValue()) > MAX_BUTTON_LABEL) {
                        throw fail(name, "button label in " + e.getKey() + " is longer than " + MAX_BUTTON_LABEL
                                + " characters (LINE's action label limit, counted in grapheme clusters)");
                    }
                }
            }
            fields.add(new TemplateField(name, type, required, maxLength, currencies, emphasized, button, instant, labels));
        }
        long emph = fields.stream().filter(TemplateField::emphasized).count();
        if (emph != 1) {
            throw fail("fields", "exactly one field must be emphasized: true, found " + emph);
        }
        long buttons = fields.stream().filter(TemplateField::button).count();
        if (buttons > MAX_BUTTONS) {
            throw fail(fields.stream().filter(TemplateField::button).skip(MAX_BUTTONS).findFirst().orElseThrow().name(),
                    buttons + " button fields; LINE allows at most " + MAX_BUTTONS + " buttons");
        }
        long items = fields.stream().filter(f -> !f.emphasized() && !f.button()).count();
        if (items > MAX_ITEMS) {
            throw fail(fields.stream().filter(f -> !f.emphasized() && !f.button()).skip(MAX_ITEMS).findFirst().orElseThrow().name(),
                    items + " item fields; LINE allows at most " + MAX_ITEMS + " items besides the emphasised one");
        }
        return fields;
    }

    private boolean bool(JsonNode f, String key, String name) {
        JsonNode v = f.get(key);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw fail(name, key + " must be true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    private Map<String, String> languages(JsonNode node, String field, String what) {
        if (node == null || !node.isObject()) {
            throw fail(field, "missing " + what + " (need th, en, ja and zh-TW)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String lang : RenderOptions.LANGUAGES) {
            JsonNode v = node.get(lang);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw fail(field, "missing " + lang + " text in " + what);
            }
            out.put(lang, v.asText());
        }
        unknownKeys(node, Set.copyOf(RenderOptions.LANGUAGES), field + ".", what + " of " + field);
        return out;
    }

    private Map<String, NotificationTemplate.Texts> texts(JsonNode node, List<TemplateField> fields) {
        if (node == null || !node.isObject()) {
            throw fail("texts", "missing texts (title and altText for th, en, ja and zh-TW)");
        }
        unknownKeys(node, Set.copyOf(RenderOptions.LANGUAGES), "texts.", "texts");
        Map<String, NotificationTemplate.Texts> out = new HashMap<>();
        for (String lang : RenderOptions.LANGUAGES) {
            JsonNode t = node.get(lang);
            if (t == null || !t.isObject()) {
                throw fail("texts." + lang, "missing " + lang + " texts (title and altText)");
            }
            unknownKeys(t, Set.of("title", "altText"), "texts." + lang + ".", "texts." + lang);
            String title = requiredText(t, "title", "texts." + lang + ".title");
            String alt = requiredText(t, "altText", "texts." + lang + ".altText");
            Matcher m = PLACEHOLDER.matcher(alt);
            while (m.find()) {
                String ref = m.group(1);
                TemplateField f = fields.stream().filter(x -> x.name().equals(ref)).findFirst().orElseThrow(() ->
                        fail("texts." + lang + ".altText", "refers to {" + ref + "}, which is not a field"));
                if (!f.required()) {
                    throw fail("texts." + lang + ".altText", "refers to optional field {" + ref + "}; alt text may only use required fields");
                }
            }
            if (DataValidator.length(alt) > MAX_ALT_TEXT) {
                throw fail("texts." + lang + ".altText", "is longer than LINE's " + MAX_ALT_TEXT + " characters");
            }
            out.put(lang, new NotificationTemplate.Texts(title, alt));
        }
        return out;
    }

    private Map<String, LonMapping> lon(JsonNode node, List<TemplateField> fields) {
        Map<String, LonMapping> out = new HashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw fail("lon", "must map countries (JP, TH, TW) to templateKey, items and buttons");
        }
        unknownKeys(node, Set.copyOf(RenderOptions.COUNTRIES), "lon.", "lon");
        for (String country : RenderOptions.COUNTRIES) {
            JsonNode c = node.get(country);
            if (c == null || c.isNull()) {
                continue;
            }
            String p = "lon." + country;
            unknownKeys(c, LON_KEYS, p + ".", p);
            JsonNode tk = c.get("templateKey");
            String templateKey = tk == null || tk.isNull() ? "" : tk.asText();
            if (!templateKey.isEmpty() && !KEY.matcher(templateKey).matches()) {
                throw fail(p + ".templateKey", "'" + templateKey + "' is not a LINE key (letters, digits, underscore)");
            }
            Map<String, String> items = keys(c.get("items"), p + ".items", fields, false);
            Map<String, String> buttons = keys(c.get("buttons"), p + ".buttons", fields, true);
            if (items.size() - (items.keySet().stream().anyMatch(n -> isEmphasized(fields, n)) ? 1 : 0) > MAX_ITEMS) {
                throw fail(p + ".items", "maps " + items.size() + " items; LINE allows at most " + MAX_ITEMS + " plus the emphasised item");
            }
            if (buttons.size() > MAX_BUTTONS) {
                throw fail(p + ".buttons", "maps " + buttons.size() + " buttons; LINE allows at most " + MAX_BUTTONS);
            }
            out.put(country, new LonMapping(country, templateKey, items, buttons));
        }
        return out;
    }

    private static boolean isEmphasized(List<TemplateField> fields, String name) {
        return fields.stream().anyMatch(f -> f.name().equals(name) && f.emphasized());
    }

    private Map<String, String> keys(JsonNode node, String path, List<TemplateField> fields, boolean buttons) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw fail(path, "must map field names to LINE " + (buttons ? "button" : "item") + " keys");
        }
        Map<String, String> seen = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String fieldName = e.getKey();
            String key = e.getValue().asText("");
            TemplateField f = fields.stream().filter(x -> x.name().equals(fieldName)).findFirst().orElseThrow(() ->
                    fail(path + "." + fieldName, "maps '" + fieldName + "', which is not a field of this template"));
            if (buttons && !f.button()) {
                throw fail(path + "." + fieldName, "only button fields (button: true) can have a LINE button key");
            }
            if (!buttons && f.button()) {
                throw fail(path + "." + fieldName, "is a button; map it under buttons, not items");
            }
            if (key.isBlank() || !KEY.matcher(key).matches()) {
                throw fail(path + "." + fieldName, "'" + key + "' is not a LINE key (letters, digits, underscore)");
            }
            String other = seen.put(key, fieldName);
            if (other != null) {
                throw fail(path + "." + fieldName, "duplicate " + (buttons ? "button" : "item") + " key '" + key + "' (also used by " + other
                        + (buttons ? "" : "; LINE rejects an item key repeated in items or between the emphasised item and items") + ")");
            }
            out.put(fieldName, key);
        }
        return out;
    }
}
