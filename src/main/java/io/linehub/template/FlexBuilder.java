package io.linehub.template;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Builds the Flex bubble of a notification. Four layouts, chosen per template ({@code layout:} in the YAML):
 * <ul>
 *   <li>{@code receipt}: coloured header band with the title; the emphasised value large; label/value rows.</li>
 *   <li>{@code ticket}: white header with a coloured kicker; the emphasised value in a tinted "ticket" panel;
 *       rows as label-above-value pairs (travel and reservations).</li>
 *   <li>{@code alert}: coloured header with a warning mark; the emphasised value in an outlined panel in the
 *       accent colour (failures, expiry, incidents).</li>
 *   <li>{@code status}: title with an accent rule; the emphasised value as a coloured status pill.</li>
 * </ul>
 */
final class FlexBuilder {

    static final String TEXT = "#111111";
    static final String MUTED = "#8C8C8C";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A rendered row: label and formatted value. */
    record Row(String label, String value) {
    }

    /** A rendered button: label and link (https, http, line://, tel:). */
    record Button(String label, String url) {
    }

    private FlexBuilder() {
    }

    /** Puts a greeting line ("山田様") first in the bubble's body. */
    static void greet(ObjectNode bubble, String greeting) {
        ArrayNode contents = (ArrayNode) bubble.path("body").path("contents");
        if (contents.size() > 0 && contents.get(0).isObject()) {
            ((ObjectNode) contents.get(0)).put("margin", "md");
        }
        contents.insert(0, text(greeting, "sm", TEXT).put("wrap", true));
    }

    static ObjectNode bubble(NotificationTemplate t, String title, String emphLabel, String emphValue, List<Row> rows, List<Button> buttons) {
        String accent = t.accentColor();
        ObjectNode bubble = F.objectNode().put("type", "bubble").put("size", "mega");
        switch (t.layout()) {
            case "ticket" -> {
                // An accent bar beside the title, like the stub of a ticket.
                ObjectNode bar = box("vertical", arr(F.objectNode().put("type", "filler")))
                        .put("width", "5px").put("backgroundColor", accent).put("cornerRadius", "2px").put("flex", 0);
                bubble.set("header", box("horizontal", arr(bar,
                        text(title, "lg", TEXT).put("weight", "bold").put("wrap", true).put("flex", 1).put("margin", "md")))
                        .put("paddingBottom", "8px"));
                ObjectNode panel = box("vertical", arr(
                        text(emphLabel, "xs", MUTED).put("wrap", true),
                        text(emphValue, "xxl", accent).put("weight", "bold").put("wrap", true)))
                        .put("backgroundColor", tint(accent)).put("cornerRadius", "md").put("paddingAll", "12px");
                ArrayNode body = arr(panel);
                if (!rows.isEmpty()) {
                    ArrayNode list = F.arrayNode();
                    for (Row r : rows) {
                        list.add(box("vertical", arr(
                                text(r.label(), "xs", MUTED).put("wrap", true),
                                text(r.value(), "md", TEXT).put("weight", "bold").put("wrap", true))));
                    }
                    body.add(box("vertical", list).put("spacing", "md").put("margin", "lg"));
                }
                bubble.set("body", box("vertical", body));
            }
            case "alert" -> {
                // A white disc with "!" in the accent colour, then the title, on an accent band.
                ObjectNode mark = box("vertical", arr(text("!", "md", accent).put("weight", "bold").put("align", "center")))
                        .put("backgroundColor", "#FFFFFF").put("cornerRadius", "xxl").put("width", "28px").put("height", "28px")
                        .put("justifyContent", "center").put("flex", 0);
                bubble.set("header", box("horizontal", arr(mark,
                        text(title, "lg", "#FFFFFF").put("weight", "bold").put("wrap", true).put("flex", 1).put("margin", "md").put("gravity", "center")))
                        .put("backgroundColor", accent).put("paddingAll", "16px"));
                ObjectNode panel = box("vertical", arr(
                        text(emphLabel, "xs", MUTED).put("wrap", true),
                        text(emphValue, "xl", accent).put("weight", "bold").put("wrap", true)))
                        .put("borderColor", accent).put("borderWidth", "2px").put("cornerRadius", "md").put("paddingAll", "12px");
                ArrayNode body = arr(panel);
                if (!rows.isEmpty()) {
                    body.add(rowsBox(rows).put("margin", "lg"));
                }
                bubble.set("body", box("vertical", body));
            }
            case "status" -> {
                bubble.set("header", box("vertical", arr(
                        text(title, "lg", TEXT).put("weight", "bold").put("wrap", true),
                        F.objectNode().put("type", "separator").put("color", accent).put("margin", "md"))));
                ObjectNode pill = box("vertical", arr(text(emphValue, "lg", "#FFFFFF").put("weight", "bold").put("align", "center").put("wrap", true)))
                        .put("backgroundColor", accent).put("cornerRadius", "xxl").put("paddingAll", "10px");
                ArrayNode body = arr(text(emphLabel, "xs", MUTED).put("wrap", true), pill.put("margin", "sm"));
                if (!rows.isEmpty()) {
                    body.add(rowsBox(rows).put("margin", "xl"));
                }
                bubble.set("body", box("vertical", body));
            }
            default -> { // receipt
                bubble.set("header", box("vertical", arr(text(title, "lg", "#FFFFFF").put("weight", "bold").put("wrap", true)))
                        .put("backgroundColor", accent).put("paddingAll", "16px"));
                ArrayNode body = arr(
                        text(emphLabel, "xs", MUTED).put("wrap", true),
                        text(emphValue, "xxl", TEXT).put("weight", "bold").put("wrap", true));
                if (!rows.isEmpty()) {
                    body.add(F.objectNode().put("type", "separator").put("margin", "lg"));
                    body.add(rowsBox(rows).put("margin", "lg"));
                }
                bubble.set("body", box("vertical", body));
            }
        }
        if (!buttons.isEmpty()) {
            ArrayNode bs = F.arrayNode();
            for (int i = 0; i < buttons.size(); i++) {
                Button b = buttons.get(i);
                ObjectNode action = F.objectNode().put("type", "uri").put("label", b.label()).put("uri", b.url());
                ObjectNode button = F.objectNode().put("type", "button").put("height", "sm")
                        .put("style", i == 0 ? "primary" : "secondary");
                if (i == 0) {
                    button.put("color", accent);
                }
                button.set("action", action);
                bs.add(button);
            }
            bubble.set("footer", box("vertical", bs).put("spacing", "sm"));
        }
        return bubble;
    }

    private static ObjectNode rowsBox(List<Row> rows) {
        ArrayNode list = F.arrayNode();
        for (Row r : rows) {
            list.add(box("horizontal", arr(
                    text(r.label(), "sm", MUTED).put("wrap", true).put("flex", 2),
                    text(r.value(), "sm", TEXT).put("wrap", true).put("flex", 3).put("align", "end"))));
        }
        return box("vertical", list).put("spacing", "sm");
    }

    private static ObjectNode box(String layout, ArrayNode contents) {
        ObjectNode b = F.objectNode().put("type", "box").put("layout", layout);
        b.set("contents", contents);
        return b;
    }

    private static ObjectNode text(String text, String size, String color) {
        return F.objectNode().put("type", "text").put("text", text).put("size", size).put("color", color);
    }

    private static ArrayNode arr(ObjectNode... nodes) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode n : nodes) {
            a.add(n);
        }
        return a;
    }

    /** The accent colour mixed with 88 % white, for panels. */
    static String tint(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        r = r + (255 - r) * 88 / 100;
        g = g + (255 - g) * 88 / 100;
        b = b + (255 - b) * 88 / 100;
        return String.format("#%02X%02X%02X", r, g, b);
    }
}
