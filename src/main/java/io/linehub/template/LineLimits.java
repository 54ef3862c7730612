package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * LINE's documented limits, checked on the final payloads the renderer produces (a last safety net
 * after the template and data checks). Violations are thrown as {@link InvalidNotificationDataException}
 * with the payload path as field.
 */
final class LineLimits {

    /** Flex: the JSON of one bubble is at most 30 KB (checked as 30,000 UTF-8 bytes to stay on the safe side). */
    static final int MAX_BUBBLE_BYTES = 30_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LineLimits() {
    }

    /** Checks {"templateKey":…, "body":{emphasizedItem, items, buttons}} against §4.4 of the LINE API notes. */
    static void checkLon(ObjectNode lon) {
        if (lon.path("templateKey").asText("").isBlank()) {
            throw new InvalidNotificationDataException("templateKey", "is missing");
        }
        JsonNode body = lon.path("body");
        Set<String> itemKeys = new HashSet<>();
        JsonNode emph = body.get("emphasizedItem");
        if (emph != null) {
            String c = emph.path("content").asText("");
            if (c.isEmpty()) {
                throw new InvalidNotificationDataException("body.emphasizedItem.content", "must not be empty");
            }
            if (DataValidator.length(c) > TemplateLoader.MAX_EMPHASIZED) {
                throw new InvalidNotificationDataException("body.emphasizedItem.content", "is " + DataValidator.length(c)
                        + " characters; LINE allows at most " + TemplateLoader.MAX_EMPHASIZED + " in the emphasised item");
            }
            itemKeys.add(emph.path("itemKey").asText());
        }
        JsonNode items = body.path("items");
        if (items.size() > TemplateLoader.MAX_ITEMS) {
            throw new InvalidNotificationDataException("body.items", "has " + items.size() + " items; LINE allows at most " + TemplateLoader.MAX_ITEMS);
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode it = items.get(i);
            String key = it.path("itemKey").asText();
            if (!itemKeys.add(key)) {
                throw new InvalidNotificationDataException("body.items[" + i + "].itemKey", "duplicate item key '" + key
                        + "'; an item key may appear only once across the emphasised item and the items");
            }
            String c = it.path("content").asText("");
            if (c.isEmpty()) {
                throw new InvalidNotificationDataException("body.items[" + i + "].content", "must not be empty");
            }
            if (DataValidator.length(c) > TemplateLoader.MAX_ITEM_CONTENT) {
                throw new InvalidNotificationDataException("body.items[" + i + "].content", "is " + DataValidator.length(c)
                        + " characters; LINE allows at most " + TemplateLoader.MAX_ITEM_CONTENT);
            }
        }
        JsonNode buttons = body.path("buttons");
        if (buttons.size() > TemplateLoader.MAX_BUTTONS) {
            throw new InvalidNotificationDataException("body.buttons", "has " + buttons.size() + " buttons; LINE allows at most " + TemplateLoader.MAX_BUTTONS);
        }
        Set<String> buttonKeys = new HashSet<>();
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode b = buttons.get(i);
            String key = b.path("buttonKey").asText();
            if (!buttonKeys.add(key)) {
                throw new InvalidNotificationDataException("body.buttons[" + i + "].buttonKey", "duplicate button key '" + key + "'");
            }
            url(b.path("url").asText(""), "body.buttons[" + i + "].url");
        }
    }

    static void url(String url, String path) {
        int n = DataValidator.length(url);
        if (n > DataValidator.MAX_URL) {
            throw new InvalidNotificationDataException(path, "is " + n + " characters long; LINE allows URLs of at most " + DataValidator.MAX_URL + " characters");
        }
        DataValidator.checkLink(url, path);
    }

    /** Checks one Flex message object {"type":"flex","altText":…,"contents":{bubble}}. */
    static void checkFlex(ObjectNode message) {
        String alt = message.path("altText").asText("");
        if (alt.isBlank()) {
            throw new InvalidNotificationDataException("altText", "must not be empty");
        }
        if (DataValidator.length(alt) > TemplateLoader.MAX_ALT_TEXT) {
            throw new InvalidNotificationDataException("altText", "is " + DataValidator.length(alt) + " characters; LINE allows at most " + TemplateLoader.MAX_ALT_TEXT);
        }
        int bytes;
        try {
            bytes = JSON.writeValueAsString(message.get("contents")).getBytes(StandardCharsets.UTF_8).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (bytes > MAX_BUBBLE_BYTES) {
            throw new InvalidNotificationDataException("contents", "the Flex bubble is " + bytes + " bytes of JSON; LINE allows at most 30 KB (checked as " + MAX_BUBBLE_BYTES + " bytes)");
        }
    }
}
