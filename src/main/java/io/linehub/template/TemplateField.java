package io.linehub.template;

import java.util.List;
import java.util.Map;

/** One business field of a notification template, as declared in its YAML file. */
public final class TemplateField {

    private final String name;
    private final FieldType type;
    private final boolean required;
    private final int maxLength;
    private final List<String> currencies;
    private final boolean emphasized;
    private final boolean button;
    private final boolean instant;
    private final Map<String, String> labels;

    TemplateField(String name, FieldType type, boolean required, int maxLength, List<String> currencies,
                  boolean emphasized, boolean button, boolean instant, Map<String, String> labels) {
        this.name = name;
        this.type = type;
        this.required = required;
        this.maxLength = maxLength;
        this.currencies = List.copyOf(currencies);
        this.emphasized = emphasized;
        this.button = button;
        this.instant = instant;
        this.labels = Map.copyOf(labels);
    }

    /** Name of the field in the notification data, e.g. {@code orderNumber}. */
    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    public boolean required() {
        return required;
    }

    /** Maximum length of the input value (text, id, url); for other types the formatted length is bounded by LINE's limits. */
    public int maxLength() {
        return maxLength;
    }

    /** For money fields: accepted ISO 4217 currency codes (empty = any). */
    public List<String> currencies() {
        return currencies;
    }

    /** Shown large (the LON emphasised item, the big value in the Flex bubble). */
    public boolean emphasized() {
        return emphasized;
    }

    /** A url field shown as a button. */
    public boolean button() {
        return button;
    }

    /**
     * A datetime that is a moment rather than a time at a place (when an order was placed, a payment made): shown
     * converted to the customer's zone. Other datetimes (departures, appointments, check-in, pick-up) belong to
     * the place where they happen and are shown in the offset they were given.
     */
    public boolean instant() {
        return instant;
    }

    /** Label (or button label) in a language: th, en, ja, zh-TW. */
    public String label(String language) {
        String l = labels.get(language);
        if (l == null) {
            throw new IllegalArgumentException("no label for language " + language);
        }
        return l;
    }

    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public String toString() {
        return name + " (" + type.yamlName() + (required ? ", required" : ", optional") + (emphasized ? ", emphasised" : "")
                + (button ? ", button" : "") + ")";
    }
}
