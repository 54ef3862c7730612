package io.linehub.template;

import java.util.Map;

/**
 * How a template maps to a LINE notification message (template) for one country: the template key
 * and the item / button key of each field. A field without a key is not part of that country's LON.
 *
 * @param country     JP, TH or TW
 * @param templateKey LINE's template key, empty when not configured
 * @param itemKeys    field name → LINE item key (includes the emphasised field)
 * @param buttonKeys  url field name → LINE button key
 */
public record LonMapping(String country, String templateKey, Map<String, String> itemKeys, Map<String, String> buttonKeys) {

    public LonMapping {
        templateKey = templateKey == null ? "" : templateKey;
        itemKeys = Map.copyOf(itemKeys);
        buttonKeys = Map.copyOf(buttonKeys);
    }

    public boolean configured() {
        return !templateKey.isBlank();
    }
}
