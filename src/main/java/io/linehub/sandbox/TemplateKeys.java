package io.linehub.sandbox;

import java.util.Set;

/**
 * The LINE notification message (template) keys the sandbox accepts, as LINE accepts only the keys it offers the
 * sending account: by default the keys LINE documents verbatim (../shared/line-api/templates.md: Japan only), plus
 * any the sandbox is configured with (the keys LINE gave your account). An unknown template key is answered like
 * LINE's 400 {@code Invalid templateKey: …}, an unknown item key like LINE's {@code The specified item key does not
 * exist: …}. {@link #ANY} accepts every key (tests of other rules).
 *
 * @param templates template keys
 * @param items     item keys (emphasised item and items)
 * @param buttons   button keys
 * @param any       accept every key
 */
public record TemplateKeys(Set<String> templates, Set<String> items, Set<String> buttons, boolean any) {

    /** What LINE's documentation shows verbatim (templates.md, "Japan — keys documented verbatim"). */
    public static final TemplateKeys DOCUMENTED = new TemplateKeys(Set.of("shipment_completed_ja"),
            Set.of("date_002_ja", "time_range_001_ja", "number_001_ja", "price_001_ja", "name_010_ja"),
            Set.of("check_delivery_status_ja", "contact_ja"), false);

    /** Every key is accepted (the sandbox before issue 17; for tests of the other rules only). */
    public static final TemplateKeys ANY = new TemplateKeys(Set.of(), Set.of(), Set.of(), true);

    public TemplateKeys {
        templates = Set.copyOf(templates);
        items = Set.copyOf(items);
        buttons = Set.copyOf(buttons);
    }

    /** The documented keys plus {@code extra}, each accepted as a template, item or button key (configuration is one list). */
    public static TemplateKeys documentedPlus(Set<String> extra) {
        if (extra.isEmpty()) {
            return DOCUMENTED;
        }
        return new TemplateKeys(union(DOCUMENTED.templates, extra), union(DOCUMENTED.items, extra), union(DOCUMENTED.buttons, extra), false);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    boolean template(String key) {
        return any || templates.contains(key);
    }

    boolean item(String key) {
        return any || items.contains(key);
    }

    boolean button(String key) {
        return any || buttons.contains(key);
    }
}
