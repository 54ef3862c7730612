package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns business data into LINE payloads using the templates of a catalogue. Thread-safe. */
public final class TemplateRenderer {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final TemplateCatalog catalog;

    public TemplateRenderer(TemplateCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    private NotificationTemplate template(String type) {
        return catalog.find(type).orElseThrow(() -> new InvalidNotificationDataException("type",
                "is not a known notification type; known types: " + String.join(", ", catalog.all().stream().map(NotificationTemplate::type).toList())));
    }

    /** The version of a type's template: the SHA-256 (hex) of its file's content, as loaded. */
    public String templateVersion(String type) {
        return template(type).version();
    }

    /**
     * Checks the data of a notification against its template.
     *
     * @throws InvalidNotificationDataException field() like {@code data.orderNumber} ({@code type} for an unknown type) and reason()
     *                                          for an unknown type, a missing required field, a value that is too long, a bad
     *                                          date/datetime/url/money/number, or a field the template does not have
     */
    public void validate(String type, JsonNode data) {
        DataValidator.validate(template(type), data, "data");
    }

    /**
     * The LON keys for the sending channel: its own (channels file {@code templateKeys}) when it has them for the type,
     * with the template's item and button keys for that country where it names none; else the template's.
     */
    static java.util.Optional<LonMapping> lonMapping(NotificationTemplate t, RenderOptions options) {
        java.util.Optional<LonMapping> base = t.lon(options.country());
        LonMapping own = options.lonKeys().get(t.type());
        if (own != null && own.configured()) {
            return java.util.Optional.of(new LonMapping(options.country(), own.templateKey(),
                    own.itemKeys().isEmpty() ? base.map(LonMapping::itemKeys).orElse(java.util.Map.of()) : own.itemKeys(),
                    own.buttonKeys().isEmpty() ? base.map(LonMapping::buttonKeys).orElse(java.util.Map.of()) : own.buttonKeys()));
        }
        return base.filter(LonMapping::configured);
    }

    /**
     * Renders a LINE notification message (template) for the country of the sending channel:
     * {@code {"templateKey":…,"body":{"emphasizedItem":…,"items":[…],"buttons":[…]}}}; the caller adds {@code "to"}.
     * Fields without an item/button key for that country are left out.
     *
     * @throws MissingTemplateKeyException      no template key configured for the type in {@code options.country()}
     * @throws InvalidNotificationDataException bad data, or a formatted value breaks a LINE limit
     */
    public ObjectNode renderLonTemplate(String type, JsonNode data, RenderOptions options) {
        NotificationTemplate t = template(type);
        if (options.country() == null) {
            throw new IllegalArgumentException("RenderOptions.country is required for LINE notification messages (template)");
        }
        LonMapping m = lonMapping(t, options).orElseThrow(() -> new MissingTemplateKeyException(type, options.country()));
        DataValidator.validate(t, data, "data");

        ObjectNode body = F.objectNode();
        ArrayNode items = F.arrayNode();
        ArrayNode buttons = F.arrayNode();
        for (TemplateField f : t.fields()) {
            JsonNode v = value(data, f);
            if (v == null) {
                continue;
            }
            String path = "data." + f.name();
            if (f.button()) {
                String key = m.buttonKeys().get(f.name());
                if (key != null) {
                    buttons.add(F.objectNode().put("buttonKey", key).put("url", v.asText()));
                }
                continue;
            }
            String key = m.itemKeys().get(f.name());
            if (key == null) {
                continue;
            }
            String content = ValueFormatter.format(f, v, options, f.emphasized());
            if (f.emphasized()) {
                int n = DataValidator.length(content);
                if (n > TemplateLoader.MAX_EMPHASIZED) {
                    throw new InvalidNotificationDataException(path, "is too long when formatted for " + options.language() + " (" + n
                            + " characters); LINE's emphasised item holds at most " + TemplateLoader.MAX_EMPHASIZED);
                }
                body.set("emphasizedItem", F.objectNode().put("itemKey", key).put("content", content));
            } else {
                int n = DataValidator.length(content);
                if (n > TemplateLoader.MAX_ITEM_CONTENT) {
                    throw new InvalidNotificationDataException(path, "is " + n + " characters when formatted; LINE allows at most "
                            + TemplateLoader.MAX_ITEM_CONTENT + " in an item");
                }
                items.add(F.objectNode().put("itemKey", key).put("content", content));
            }
        }
        if (!items.isEmpty()) {
            body.set("items", items);
        }
        if (!buttons.isEmpty()) {
            body.set("buttons", buttons);
        }
        ObjectNode out = F.objectNode().put("templateKey", m.templateKey());
        out.set("body", body);
        LineLimits.checkLon(out);
        return out;
    }

    /**
     * Renders one LINE Flex message object {@code {"type":"flex","altText":…,"contents":{bubble}}} for flexible LON
     * ({@code POST /bot/pnp/push}), push, multicast and broadcast.
     *
     * @throws InvalidNotificationDataException bad data, or the message breaks a LINE limit (altText ≤ 1,500 characters, bubble ≤ 30 KB)
     */
    public ObjectNode renderFlexMessage(String type, JsonNode data, RenderOptions options) {
        NotificationTemplate t = template(type);
        DataValidator.validate(t, data, "data");
        String lang = options.language();
        TemplateField emph = t.emphasizedField();
        String emphValue = ValueFormatter.format(emph, data.get(emph.name()), options, true);
        int n = DataValidator.length(emphValue);
        if (n > TemplateLoader.MAX_EMPHASIZED) {
            throw new InvalidNotificationDataException("data." + emph.name(), "is too long when formatted for " + lang + " (" + n
                    + " characters); the emphasised value holds at most " + TemplateLoader.MAX_EMPHASIZED);
        }
        List<FlexBuilder.Row> rows = new ArrayList<>();
        for (TemplateField f : t.itemFields()) {
            JsonNode v = value(data, f);
            if (v != null) {
                rows.add(new FlexBuilder.Row(f.label(lang), ValueFormatter.format(f, v, options, false)));
            }
        }
        List<FlexBuilder.Button> buttons = new ArrayList<>();
        for (TemplateField f : t.buttonFields()) {
            JsonNode v = value(data, f);
            if (v != null) {
                LineLimits.url(v.asText(), "data." + f.name());
                buttons.add(new FlexBuilder.Button(f.label(lang), v.asText()));
            }
        }
        String emphLabel = emph.label(lang);
        if (emph.type() == FieldType.DATETIME) {
            emphLabel += ValueFormatter.zoneNote(emph, java.time.OffsetDateTime.parse(data.get(emph.name()).asText()), options);
        }
        ObjectNode bubble = FlexBuilder.bubble(t, t.title(lang), emphLabel, emphValue, rows, buttons);
        String greeting = greeting(data, lang);
        if (greeting != null) {
            FlexBuilder.greet(bubble, greeting);
        }
        ObjectNode message = F.objectNode().put("type", "flex").put("altText", altText(t, data, options));
        message.set("contents", bubble);
        LineLimits.checkFlex(message);
        return message;
    }

    /**
     * A standalone HTML page showing the Flex bubble roughly as LINE draws it, the alt text, and the template
     * LON payload for {@code options.country()} (or why there is none).
     */
    public String renderHtmlPreview(String type, JsonNode data, RenderOptions options) {
        NotificationTemplate t = template(type);
        ObjectNode flex = renderFlexMessage(type, data, options);
        ObjectNode lon = null;
        String lonProblem = null;
        if (options.country() == null) {
            lonProblem = "no country given";
        } else {
            try {
                lon = renderLonTemplate(type, data, options);
            } catch (MissingTemplateKeyException e) {
                lonProblem = e.getMessage();
            }
        }
        return HtmlPreview.page(t, options, flex, lon, lonProblem);
    }

    /** The greeting of the optional {@code recipientName}: "山田 太郎様", "เรียนคุณสมชาย", "Dear John Miller,", "親愛的林志明，您好"; or null. */
    static String greeting(JsonNode data, String language) {
        JsonNode n = data.get(DataValidator.RECIPIENT_NAME);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            return null;
        }
        String name = n.asText().trim();
        return switch (language) {
            case "th" -> "เรียน" + (name.startsWith("คุณ") ? name : "คุณ" + name);
            case "ja" -> name.endsWith("様") ? name : name + "様";
            case "zh-TW" -> "親愛的" + name + "，您好";
            default -> "Dear " + name + ",";
        };
    }

    private static JsonNode value(JsonNode data, TemplateField f) {
        JsonNode v = data.get(f.name());
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return null;
        }
        return v;
    }

    private static String altText(NotificationTemplate t, JsonNode data, RenderOptions o) {
        String pattern = t.texts(o.language()).altText();
        Map<String, TemplateField> byName = new java.util.HashMap<>();
        t.fields().forEach(f -> byName.put(f.name(), f));
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            TemplateField f = byName.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(ValueFormatter.format(f, data.get(f.name()), o, false)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
