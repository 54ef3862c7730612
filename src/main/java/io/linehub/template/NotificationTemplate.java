package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A validated notification template loaded from one YAML file under config/templates/. */
public final class NotificationTemplate {

    /** Texts of a template in one language. */
    public record Texts(String title, String altText) {
    }

    private final String type;
    private final String description;
    private final String layout;
    private final String accentColor;
    private final List<TemplateField> fields;
    private final Map<String, Texts> texts;
    private final Map<String, LonMapping> lon;
    private final Map<String, ObjectNode> samples;
    private final String file;
    private final String version;
    private final io.linehub.quiet.QuietHours quietHours;
    private final boolean urgent;

    NotificationTemplate(String type, String description, String layout, String accentColor, List<TemplateField> fields,
                         Map<String, Texts> texts, Map<String, LonMapping> lon, Map<String, ObjectNode> samples, String file, String version) {
        this(type, description, layout, accentColor, fields, texts, lon, samples, file, version, null, false);
    }

    NotificationTemplate(String type, String description, String layout, String accentColor, List<TemplateField> fields,
                         Map<String, Texts> texts, Map<String, LonMapping> lon, Map<String, ObjectNode> samples, String file, String version,
                         io.linehub.quiet.QuietHours quietHours, boolean urgent) {
        this.type = type;
        this.description = description;
        this.layout = layout;
        this.accentColor = accentColor;
        this.fields = List.copyOf(fields);
        this.texts = Map.copyOf(texts);
        this.lon = Map.copyOf(lon);
        this.samples = Map.copyOf(samples);
        this.file = file;
        this.version = version;
        this.quietHours = quietHours;
        this.urgent = urgent;
    }

    /** The type's own quiet hours ({@code quietHours:}), which replace the channel's; empty: the channel's apply. */
    public Optional<io.linehub.quiet.QuietHours> quietHours() {
        return Optional.ofNullable(quietHours);
    }

    /** {@code urgent: true}: sent at once, whatever the quiet hours (a {@code sendAt} is still honoured). */
    public boolean urgent() {
        return urgent;
    }

    /** The use-case id, e.g. {@code shipping_complete}. */
    public String type() {
        return type;
    }

    /** One English sentence: what the use case is for. */
    public String description() {
        return description;
    }

    /** Flex layout variant: receipt, ticket, alert or status. */
    public String layout() {
        return layout;
    }

    /** Accent colour of the Flex bubble, {@code #RRGGBB}. */
    public String accentColor() {
        return accentColor;
    }

    /** Fields in display order. */
    public List<TemplateField> fields() {
        return fields;
    }

    public Optional<TemplateField> field(String name) {
        // a plain loop: asked for every field of every row (a stream's set-up cost was 3 % of file intake's CPU)
        for (TemplateField f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The field shown large; every template has exactly one and it is required. */
    public TemplateField emphasizedField() {
        return fields.stream().filter(TemplateField::emphasized).findFirst().orElseThrow();
    }

    /** The url fields shown as buttons (0–2), in order. */
    public List<TemplateField> buttonFields() {
        return fields.stream().filter(TemplateField::button).toList();
    }

    /** The fields shown as rows: neither emphasised nor buttons. */
    public List<TemplateField> itemFields() {
        return fields.stream().filter(f -> !f.emphasized() && !f.button()).toList();
    }

    public Texts texts(String language) {
        Texts t = texts.get(language);
        if (t == null) {
            throw new IllegalArgumentException("unsupported language " + language);
        }
        return t;
    }

    public String title(String language) {
        return texts(language).title();
    }

    /** LON template mapping of a country; empty when the template file has no entry for it. */
    public Optional<LonMapping> lon(String country) {
        return Optional.ofNullable(lon.get(country));
    }

    /** A copy of the Thai sample data shipped with the template (the tests' and examples' default). */
    public ObjectNode sample() {
        return sample("th");
    }

    /** A copy of the sample of a language: realistic data of that market (names, places, currency, links). */
    public ObjectNode sample(String language) {
        ObjectNode s = samples.get(language);
        if (s == null) {
            throw new IllegalArgumentException("unsupported language " + language);
        }
        return s.deepCopy();
    }

    /** The template's version: SHA-256 (lower-case hex) of its file's bytes; recorded on every notification rendered with it. */
    public String version() {
        return version;
    }

    /** File name the template was loaded from. */
    public String file() {
        return file;
    }

    @Override
    public String toString() {
        return type + " " + fields;
    }
}
