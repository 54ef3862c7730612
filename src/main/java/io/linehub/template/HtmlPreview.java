package io.linehub.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Draws a Flex bubble as HTML, close enough to LINE's rendering for a person to review texts and layout
 * (sizes, colours, spacing and margins follow LINE's keywords; it is not pixel-exact).
 */
final class HtmlPreview {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FONT = Map.ofEntries(Map.entry("xxs", "11px"), Map.entry("xs", "13px"), Map.entry("sm", "14px"),
            Map.entry("md", "16px"), Map.entry("lg", "19px"), Map.entry("xl", "22px"), Map.entry("xxl", "29px"), Map.entry("3xl", "35px"),
            Map.entry("4xl", "48px"), Map.entry("5xl", "74px"));
    private static final Map<String, String> SPACE = Map.of("none", "0px", "xs", "2px", "sm", "4px", "md", "8px", "lg", "12px",
            "xl", "16px", "xxl", "20px");
    private static final Map<String, String> RADIUS = Map.of("none", "0px", "xs", "2px", "sm", "4px", "md", "8px", "lg", "12px",
            "xl", "16px", "xxl", "20px");

    private HtmlPreview() {
    }

    /**
     * CJK fonts in the order of the language: Han characters look different in Japan and Taiwan, so Taiwanese
     * text must be drawn with the Traditional Chinese font first, Japanese with the Japanese one.
     */
    static String fontFamilies(String language) {
        String cjk = language.equals("zh-TW") ? "'Noto Sans CJK TC','Noto Sans CJK JP'" : "'Noto Sans CJK JP','Noto Sans CJK TC'";
        return "'Noto Sans','Noto Sans Thai'," + cjk;
    }

    static String page(NotificationTemplate t, RenderOptions o, ObjectNode flex, ObjectNode lon, String lonProblem) {
        StringBuilder h = new StringBuilder();
        String lang = o.language();
        h.append("<!DOCTYPE html>\n<html lang=\"").append(esc(lang)).append("\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(t.type())).append(" – ").append(esc(t.title(lang))).append("</title>\n<style>")
                .append("body{margin:0;background:#8CABD9;font-family:").append(fontFamilies(lang)).append(",")
                .append("'Helvetica Neue',Arial,sans-serif;color:#111}")
                .append(".meta{font:12px/1.4 monospace;color:#fff;padding:10px 16px 0}")
                .append(".chat{padding:12px 16px;display:flex;gap:8px;align-items:flex-start}")
                .append(".avatar{width:36px;height:36px;border-radius:50%;background:#06C755;color:#fff;font:bold 13px/36px sans-serif;text-align:center;flex:none}")
                .append(".bubble{width:300px;background:#fff;border-radius:17px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.15)}")
                .append(".blk{padding:20px}.blk.footer{padding:10px 10px 12px}")
                .append(".alt{margin:4px 16px 12px;background:#fff;border-radius:10px;padding:8px 12px;font-size:13px}")
                .append(".alt b{display:block;font-size:11px;color:#8c8c8c;font-weight:normal}")
                .append("details{margin:0 16px 16px;background:#fff;border-radius:10px;padding:8px 12px;font-size:12px}")
                .append("pre{white-space:pre-wrap;word-break:break-all;font-size:11px;margin:6px 0 0}")
                .append(".btn{display:flex;align-items:center;justify-content:center;border-radius:8px;text-decoration:none;font-size:15px;padding:0 8px}")
                .append("</style></head><body>\n");
        h.append("<div class=\"meta\">").append(esc(t.type())).append(" · ").append(esc(lang)).append(" · ")
                .append(esc(o.country() == null ? "-" : o.country())).append(" · ").append(esc(o.zone().getId()))
                .append(o.buddhistEra() ? " · BE" : "").append("</div>\n");
        h.append("<div class=\"chat\"><div class=\"avatar\">OA</div><div class=\"bubble\">");
        JsonNode bubble = flex.get("contents");
        JsonNode styles = bubble.path("styles");
        for (String block : new String[]{"header", "hero", "body", "footer"}) {
            JsonNode b = bubble.get(block);
            if (b == null) {
                continue;
            }
            String bg = styles.path(block).path("backgroundColor").asText(b.path("backgroundColor").asText(""));
            h.append("<div class=\"blk ").append(block).append("\" style=\"").append(bg.isEmpty() ? "" : "background:" + esc(bg) + ";")
                    .append(padding(b)).append("\">");
            component(h, b, "vertical", true, true);
            h.append("</div>");
        }
        h.append("</div></div>\n");
        h.append("<div class=\"alt\"><b>altText (notification list)</b>").append(esc(flex.path("altText").asText())).append("</div>\n");
        h.append("<details open><summary>LINE notification message (template) for ").append(esc(String.valueOf(o.country()))).append("</summary><pre>");
        h.append(lon != null ? esc(pretty(lon)) : esc(lonProblem + " — this type is sent as Flex (flexible LON, push, multicast, broadcast) until the operator configures a key."));
        h.append("</pre></details>\n<details><summary>Flex message JSON</summary><pre>").append(esc(pretty(flex))).append("</pre></details>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String padding(JsonNode b) {
        StringBuilder s = new StringBuilder();
        if (b.has("paddingAll")) {
            s.append("padding:").append(esc(b.get("paddingAll").asText())).append(";");
        }
        for (String side : new String[]{"Top", "Bottom", "Start", "End"}) {
            if (b.has("padding" + side)) {
                String css = switch (side) {
                    case "Start" -> "left";
                    case "End" -> "right";
                    default -> side.toLowerCase();
                };
                s.append("padding-").append(css).append(":").append(esc(b.get("padding" + side).asText())).append(";");
            }
        }
        return s.toString();
    }

    /** Draws a component; a block's root box is drawn without its own padding and background (the block div carries them). */
    private static void component(StringBuilder h, JsonNode c, String parentLayout, boolean first, boolean root) {
        String type = c.path("type").asText();
        StringBuilder st = new StringBuilder();
        String margin = c.has("margin") ? SPACE.getOrDefault(c.get("margin").asText(), c.get("margin").asText()) : null;
        if (margin != null && !first) {
            st.append(parentLayout.equals("vertical") ? "margin-top:" : "margin-left:").append(margin).append(";");
        }
        if (c.has("flex")) {
            int flex = c.get("flex").asInt();
            st.append("flex:").append(flex).append(flex == 0 ? " 0 auto;" : " 1 0;").append(flex == 0 ? "" : "min-width:0;");
        } else if (parentLayout.equals("horizontal")) {
            st.append("flex:1 1 0;min-width:0;");
        }
        switch (type) {
            case "box" -> {
                String layout = c.path("layout").asText("vertical");
                st.append("display:flex;flex-direction:").append(layout.equals("vertical") ? "column" : "row").append(";");
                if (layout.equals("baseline")) {
                    st.append("align-items:baseline;");
                }
                if (c.has("spacing")) {
                    st.append("gap:").append(SPACE.getOrDefault(c.get("spacing").asText(), c.get("spacing").asText())).append(";");
                }
                if (c.has("backgroundColor") && !root) {
                    st.append("background:").append(c.get("backgroundColor").asText()).append(";");
                }
                if (c.has("cornerRadius")) {
                    st.append("border-radius:").append(RADIUS.getOrDefault(c.get("cornerRadius").asText(), c.get("cornerRadius").asText())).append(";");
                }
                if (c.has("borderWidth")) {
                    st.append("border:").append(c.get("borderWidth").asText()).append(" solid ").append(c.path("borderColor").asText("#000")).append(";");
                }
                if (c.has("width")) {
                    st.append("width:").append(c.get("width").asText()).append(";");
                }
                if (c.has("height")) {
                    st.append("height:").append(c.get("height").asText()).append(";");
                }
                if (c.has("justifyContent")) {
                    st.append("justify-content:").append(c.get("justifyContent").asText()).append(";");
                }
                if (!root) {
                    st.append(padding(c));
                }
                h.append("<div style=\"").append(esc(st.toString())).append("\">");
                boolean firstChild = true;
                for (JsonNode child : c.path("contents")) {
                    component(h, child, layout.equals("baseline") ? "horizontal" : layout, firstChild, false);
                    firstChild = false;
                }
                h.append("</div>");
            }
            case "text" -> {
                st.append("font-size:").append(FONT.getOrDefault(c.path("size").asText("md"), "16px")).append(";");
                st.append("color:").append(c.path("color").asText("#111111")).append(";");
                if (c.path("weight").asText().equals("bold")) {
                    st.append("font-weight:bold;");
                }
                st.append("text-align:").append(switch (c.path("align").asText("start")) {
                    case "end" -> "right";
                    case "center" -> "center";
                    default -> "left";
                }).append(";");
                if (c.path("gravity").asText().equals("center")) {
                    st.append("align-self:center;");
                }
                st.append(c.path("wrap").asBoolean(false) ? "white-space:pre-wrap;overflow-wrap:anywhere;" : "white-space:nowrap;overflow:hidden;text-overflow:ellipsis;");
                st.append("line-height:1.4;");
                h.append("<div style=\"").append(esc(st.toString())).append("\">").append(esc(c.path("text").asText())).append("</div>");
            }
            case "separator" -> h.append("<div style=\"").append(esc(st + "border-top:1px solid " + c.path("color").asText("#DDDDDD") + ";")).append("\"></div>");
            case "filler" -> h.append("<div style=\"").append(esc(st + "flex:1 1 auto;")).append("\"></div>");
            case "button" -> {
                String style = c.path("style").asText("link");
                String color = c.path("color").asText(style.equals("link") ? "#42659A" : style.equals("primary") ? "#17C950" : "#DCDFE5");
                String bg = style.equals("link") ? "transparent" : color;
                String fg = style.equals("primary") ? "#FFFFFF" : style.equals("secondary") ? "#111111" : color;
                st.append("background:").append(bg).append(";color:").append(fg).append(";height:")
                        .append(c.path("height").asText("md").equals("sm") ? "40px" : "52px").append(";");
                JsonNode a = c.path("action");
                h.append("<a class=\"btn\" href=\"").append(esc(a.path("uri").asText())).append("\" style=\"").append(esc(st.toString())).append("\">")
                        .append(esc(a.path("label").asText())).append("</a>");
            }
            default -> h.append("<div>[").append(esc(type)).append("]</div>");
        }
    }

    private static String pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
