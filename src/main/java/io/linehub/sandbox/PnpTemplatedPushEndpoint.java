package io.linehub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /v2/bot/message/pnp/templated/push} — send a LINE notification message (template),
 * README §4.4. Answers 202 {} for a hashed number of a LINE user, 422 otherwise, and later sends the
 * delivery completion webhook (README §10.4).
 */
final class PnpTemplatedPushEndpoint implements SandboxEndpoint {

    static final String PATH = "/v2/bot/message/pnp/templated/push";

    static final int EMPHASIZED_CONTENT_MAX = 15;
    static final int ITEMS_MAX = 15;
    static final int ITEM_CONTENT_MAX = 300;
    static final int BUTTONS_MAX = 2;
    static final int BUTTON_URL_MAX = 1000;
    static final int DELIVERY_TAG_MIN = 16;
    static final int DELIVERY_TAG_MAX = 100;
    static final int UNIT_NAMES_MAX = 1;
    private static final Pattern UNIT_NAME = Pattern.compile("^[a-zA-Z0-9_]{1,30}$");

    static final String NOT_A_DIGEST = "The value must be a valid SHA-256 digest.";
    static final String MAY_NOT_BE_EMPTY = "May not be empty";

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.post(PATH).handler(sandbox.lineApi(ApiPath.PNP_TEMPLATED_PUSH, this::handle));
    }

    private void handle(LineCall call) {
        ChannelState channel = call.requireChannel();
        JsonNode root = call.jsonRequest(); // 415, JSON, retry key refused

        Errors errors = new Errors();
        String tag = deliveryTag(call, errors);
        requireObject(root);
        String to = validate((ObjectNode) root, errors);
        if (!errors.isEmpty()) {
            throw new ErrorAnswer(400, LineError.bodyErrors(errors.list));
        }
        call.validateSchema(); // anything LINE's schema refuses that the checks above did not name
        checkKeys((ObjectNode) root, call.sandbox().config().templateKeys());
        acceptLon(call, channel, to, tag, ChannelState.Counter.PNP_TEMPLATED, 202);
        channel.acceptedTemplateLons().incrementAndGet();
    }

    /**
     * LINE accepts only the keys it offers the account (README §4.4 errors): an unknown template key is
     * {@code Invalid templateKey: …}; unknown item keys are {@code The request body has N invalid key(s).} with one
     * {@code The specified item key does not exist: …} per key. LINE documents no message for an unknown button key;
     * the sandbox answers it in the item keys' form.
     */
    static void checkKeys(ObjectNode root, TemplateKeys keys) {
        String templateKey = root.path("templateKey").asText();
        if (!keys.template(templateKey)) {
            throw new ErrorAnswer(400, new LineError("Invalid templateKey: " + templateKey,
                    List.of(new LineError.Detail("The specified template doesn't exist, or you don't have the permission", "templateKey"))));
        }
        List<LineError.Detail> unknown = new ArrayList<>();
        JsonNode body = root.path("body");
        String emph = body.path("emphasizedItem").path("itemKey").asText(null);
        if (emph != null && !keys.item(emph)) {
            unknown.add(new LineError.Detail("The specified item key does not exist: " + emph, "body.emphasizedItem.itemKey"));
        }
        for (int i = 0; i < body.path("items").size(); i++) {
            String k = body.path("items").get(i).path("itemKey").asText();
            if (!keys.item(k)) {
                unknown.add(new LineError.Detail("The specified item key does not exist: " + k, "body.items[" + i + "].itemKey"));
            }
        }
        for (int i = 0; i < body.path("buttons").size(); i++) {
            String k = body.path("buttons").get(i).path("buttonKey").asText();
            if (!keys.button(k)) {
                unknown.add(new LineError.Detail("The specified button key does not exist: " + k, "body.buttons[" + i + "].buttonKey"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ErrorAnswer(400, new LineError("The request body has " + unknown.size() + " invalid key(s).", List.copyOf(unknown)));
        }
    }

    /** The X-Line-Delivery-Tag (16–100 characters, README §1) or null. */
    static String deliveryTag(LineCall call, Errors errors) {
        String tag = call.header("X-Line-Delivery-Tag");
        if (tag != null && (tag.length() < DELIVERY_TAG_MIN || tag.length() > DELIVERY_TAG_MAX)) {
            errors.add(lengthMessage(DELIVERY_TAG_MIN, DELIVERY_TAG_MAX), "X-Line-Delivery-Tag");
        }
        return tag;
    }

    static void requireObject(JsonNode root) {
        if (!root.isObject()) {
            throw new ErrorAnswer(400, LineError.of("The request body must be a JSON object"));
        }
    }

    /**
     * A valid LON (template or flexible): 422 when the hash is no LINE user's, else it takes effect (recorded as
     * sent; counted in the per-day statistics and followed by a delivery webhook unless drawn undelivered).
     */
    static void acceptLon(LineCall call, ChannelState channel, String to, String tag, ChannelState.Counter counter, int status) {
        SandboxContext sandbox = call.sandbox();
        if (!sandbox.isLonRecipient(to)) {
            throw new ErrorAnswer(422, LineError.of("Failed to send messages"));
        }
        boolean delivered = !sandbox.drawUndelivered();
        sandbox.commit(call, channel, null, List.of(to), 0, delivered ? counter : null, 1, null);
        if (delivered) {
            sandbox.webhooks().scheduleDelivery(channel, tag != null ? tag : to);
        }
        call.respond(status, Map.of());
    }

    /** Collects every body error (README §4.4); returns {@code to}. Wrong JSON types end validation at once. */
    private static String validate(ObjectNode root, Errors errors) {
        String to = optionalString(root, "to", "to");
        if (to == null || !PhoneDirectory.SHA256_HEX.matcher(to).matches()) {
            errors.add(NOT_A_DIGEST, "to");
        }
        String templateKey = optionalString(root, "templateKey", "templateKey");
        if (templateKey == null || templateKey.isEmpty()) {
            errors.add(MAY_NOT_BE_EMPTY, "templateKey");
        }

        JsonNode body = present(root.get("body"));
        if (body != null) {
            if (!body.isObject()) {
                throw invalidProperty("body");
            }
            validateBody(body, errors);
        }

        validateUnits(root, errors);
        return to;
    }

    /** customAggregationUnits: at most 1 name of 1–30 characters [A-Za-z0-9_] (README §4.4). */
    static void validateUnits(ObjectNode root, Errors errors) {
        JsonNode units = present(root.get("customAggregationUnits"));
        if (units != null) {
            if (!units.isArray()) {
                throw invalidProperty("customAggregationUnits");
            }
            if (units.size() > UNIT_NAMES_MAX) {
                errors.add(sizeMessage(0, UNIT_NAMES_MAX), "customAggregationUnits");
            }
            for (int i = 0; i < units.size(); i++) {
                String path = "customAggregationUnits[" + i + "]";
                JsonNode unit = units.get(i);
                if (!unit.isTextual()) {
                    throw invalidProperty(path);
                }
                if (unit.asText().length() > 30) {
                    errors.add(lengthMessage(1, 30), path);
                } else if (!UNIT_NAME.matcher(unit.asText()).matches()) {
                    errors.add("Invalid characters are included in custom aggregation unit", path);
                }
            }
        }
    }

    private static void validateBody(JsonNode body, Errors errors) {
        // itemKey -> first property path where it occurs; emphasizedItem comes first (README §4.4 example)
        Map<String, String> firstItemKey = new LinkedHashMap<>();
        Map<String, Boolean> reported = new LinkedHashMap<>();

        JsonNode emphasized = present(body.get("emphasizedItem"));
        if (emphasized != null) {
            String base = "body.emphasizedItem";
            if (!emphasized.isObject()) {
                throw invalidProperty(base);
            }
            String key = requiredKey(emphasized, "itemKey", base, errors);
            String content = requiredString(emphasized, "content", base, errors);
            if (content != null && content.length() > EMPHASIZED_CONTENT_MAX) {
                errors.add(lengthMessage(0, EMPHASIZED_CONTENT_MAX), base + ".content");
            }
            if (key != null) {
                firstItemKey.put(key, base + ".itemKey");
            }
        }

        JsonNode items = present(body.get("items"));
        if (items != null) {
            if (!items.isArray()) {
                throw invalidProperty("body.items");
            }
            if (items.size() > ITEMS_MAX) {
                errors.add(sizeMessage(0, ITEMS_MAX), "body.items");
            }
            for (int i = 0; i < items.size(); i++) {
                String base = "body.items[" + i + "]";
                JsonNode item = items.get(i);
                if (!item.isObject()) {
                    throw invalidProperty(base);
                }
                String key = requiredKey(item, "itemKey", base, errors);
                String content = requiredString(item, "content", base, errors);
                if (content != null && content.length() > ITEM_CONTENT_MAX) {
                    errors.add(lengthMessage(0, ITEM_CONTENT_MAX), base + ".content");
                }
                if (key != null) {
                    String first = firstItemKey.putIfAbsent(key, base + ".itemKey");
                    if (first != null && reported.putIfAbsent(key, true) == null) {
                        errors.add("Duplicate itemKey in items or between emphasizedItem and items are not allowed: " + key, first);
                    }
                }
            }
        }

        JsonNode buttons = present(body.get("buttons"));
        if (buttons != null) {
            if (!buttons.isArray()) {
                throw invalidProperty("body.buttons");
            }
            if (buttons.size() > BUTTONS_MAX) {
                errors.add(sizeMessage(0, BUTTONS_MAX), "body.buttons");
            }
            Map<String, String> firstButtonKey = new LinkedHashMap<>();
            Map<String, Boolean> reportedButtons = new LinkedHashMap<>();
            for (int i = 0; i < buttons.size(); i++) {
                String base = "body.buttons[" + i + "]";
                JsonNode button = buttons.get(i);
                if (!button.isObject()) {
                    throw invalidProperty(base);
                }
                String key = requiredKey(button, "buttonKey", base, errors);
                String url = requiredKey(button, "url", base, errors);
                if (url != null && url.length() > BUTTON_URL_MAX) {
                    errors.add(lengthMessage(0, BUTTON_URL_MAX), base + ".url");
                }
                if (key != null) {
                    String first = firstButtonKey.putIfAbsent(key, base + ".buttonKey");
                    if (first != null && reportedButtons.putIfAbsent(key, true) == null) {
                        errors.add("Duplicate buttonKey in buttons are not allowed: " + key, first);
                    }
                }
            }
        }
    }

    /** A string property that must be present and non-empty. */
    private static String requiredKey(JsonNode parent, String field, String base, Errors errors) {
        String value = optionalString(parent, field, base + "." + field);
        if (value == null || value.isEmpty()) {
            errors.add(MAY_NOT_BE_EMPTY, base + "." + field);
            return null;
        }
        return value;
    }

    /** A string property that must be present (may be empty). */
    private static String requiredString(JsonNode parent, String field, String base, Errors errors) {
        String value = optionalString(parent, field, base + "." + field);
        if (value == null) {
            errors.add(MAY_NOT_BE_EMPTY, base + "." + field);
        }
        return value;
    }

    /** null when absent or JSON null; 400 "The property, X, ... is invalid" when not a string. */
    static String optionalString(JsonNode parent, String field, String path) {
        JsonNode v = present(parent.get(field));
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalidProperty(path);
        }
        return v.asText();
    }

    static JsonNode present(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** README §1 message for a property that cannot be read as the expected type (no source position known). */
    static ErrorAnswer invalidProperty(String path) {
        return new ErrorAnswer(400, LineError.of("The property, " + path + ", in the request body is invalid (line: -, column: -)"));
    }

    static String lengthMessage(int min, int max) {
        return "Length must be between " + min + " and " + max;
    }

    static String sizeMessage(int min, int max) {
        return "Size must be between " + min + " and " + max;
    }

    static final class Errors {
        final List<LineError.Detail> list = new ArrayList<>();

        void add(String message, String property) {
            list.add(new LineError.Detail(message, property));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }
    }
}
