package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * LINE's own rules (issue 17): characters are counted in UTF-16 code units at every limit (an emoji or 𠮷 is 2),
 * action labels in grapheme clusters, and buttons open http, https, line:// and tel: links.
 */
class TemplateLineRulesTest {

    static final TemplateRenderer PROBE_RENDERER = new TemplateRenderer(TemplateCatalog.load(FIXTURES.resolve("valid-probe")));
    static final RenderOptions EN_JP = new RenderOptions("en", "JP", ZoneId.of("Asia/Tokyo"), false);
    /** U+20BB7, a supplementary character: 1 code point, 2 UTF-16 code units. */
    static final String YOSHI = "𠮷";
    static final String APPLE = "🍎";

    private static InvalidNotificationDataException invalid(Runnable r) {
        InvalidNotificationDataException e = catchThrowableOfType(InvalidNotificationDataException.class, r::run);
        assertThat(e).as("expected InvalidNotificationDataException").isNotNull();
        return e;
    }

    static ObjectNode probe() {
        return obj("{\"amount\":{\"amount\":1,\"currency\":\"THB\"}}");
    }

    @Test
    void lengthIsUtf16CodeUnits() {
        assertThat(DataValidator.length(YOSHI)).isEqualTo(2);
        assertThat(DataValidator.length(APPLE)).isEqualTo(2);
        assertThat(DataValidator.length("ก")).isEqualTo(1);
        assertThat(DataValidator.graphemes("e\u0301" + YOSHI)).as("a combining accent and a supplementary character").isEqualTo(2);
    }

    @Test
    void itemContentLimitCountsUtf16() {
        // 150 × 𠮷 = 150 code points but 300 code units: fits; one more character does not
        ObjectNode data = probe().put("note", YOSHI.repeat(150));
        assertThat(PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP).at("/body/items/0/content").asText()).isEqualTo(YOSHI.repeat(150));
        data.put("note", YOSHI.repeat(150) + "x");
        InvalidNotificationDataException e = invalid(() -> PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP));
        assertThat(e.field()).isEqualTo("data.note");
        assertThat(e.reason()).isEqualTo("is 301 characters long; at most 300 are allowed");
        data.put("note", APPLE.repeat(151));
        assertThat(invalid(() -> PROBE_RENDERER.validate("probe", data)).reason()).startsWith("is 302 characters long");
    }

    @Test
    void emphasisedLimitCountsUtf16() {
        // 8 emoji = 8 code points, 16 code units: over LINE's 15
        ObjectNode lon = obj("{\"templateKey\":\"k\",\"body\":{\"emphasizedItem\":{\"itemKey\":\"a\",\"content\":\"" + APPLE.repeat(8) + "\"}}}");
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkLon(lon));
        assertThat(e.field()).isEqualTo("body.emphasizedItem.content");
        assertThat(e.reason()).contains("16 characters");
        ObjectNode ok = obj("{\"templateKey\":\"k\",\"body\":{\"emphasizedItem\":{\"itemKey\":\"a\",\"content\":\"" + APPLE.repeat(7) + "x\"}}}");
        LineLimits.checkLon(ok);
        // the real path: an emphasised text field of maxLength 15 (contact_center.inquiryNumber)
        ObjectNode data = catalog().find("contact_center").orElseThrow().sample().put("inquiryNumber", "Q-" + YOSHI.repeat(7));
        assertThat(invalid(() -> new TemplateRenderer(catalog()).validate("contact_center", data)).reason()).isEqualTo("is 16 characters long; at most 15 are allowed");
    }

    @Test
    void itemInLonBodyCountsUtf16() {
        ObjectNode lon = obj("{\"templateKey\":\"k\",\"body\":{\"items\":[{\"itemKey\":\"a\",\"content\":\"" + YOSHI.repeat(150) + "x\"}]}}");
        assertThat(invalid(() -> LineLimits.checkLon(lon)).reason()).startsWith("is 301 characters");
    }

    @Test
    void altTextLimitCountsUtf16() {
        ObjectNode msg = obj("{\"type\":\"flex\",\"altText\":\"" + APPLE.repeat(750) + "\",\"contents\":{\"type\":\"bubble\"}}");
        LineLimits.checkFlex(msg);
        msg.put("altText", APPLE.repeat(750) + "x");
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkFlex(msg));
        assertThat(e.field()).isEqualTo("altText");
        assertThat(e.reason()).startsWith("is 1501 characters");
    }

    @Test
    void urlLimitCountsUtf16() {
        String base = "https://example.com/";
        String url1000 = base + YOSHI.repeat((1000 - base.length()) / 2);
        assertThat(url1000.length()).isEqualTo(1000);
        LineLimits.url(url1000, "body.buttons[0].url");
        assertThat(invalid(() -> LineLimits.url(url1000 + "x", "body.buttons[0].url")).reason()).startsWith("is 1001 characters long");
        assertThat(invalid(() -> PROBE_RENDERER.validate("probe", probe().put("link", url1000 + "x"))).field()).isEqualTo("data.link");
    }

    @Test
    void telLineAndHttpButtons() {
        ObjectNode data = probe().put("link", "tel:+66-2-123-4567").put("link2", "line://ti/p/@linehub");
        ObjectNode flex = PROBE_RENDERER.renderFlexMessage("probe", data, EN_JP);
        assertThat(str(flex)).contains("\"uri\":\"tel:+66-2-123-4567\"", "\"uri\":\"line://ti/p/@linehub\"");
        ObjectNode lon = PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP);
        assertThat(lon.at("/body/buttons/0/url").asText()).isEqualTo("tel:+66-2-123-4567");
        data.put("link", "http://shop.example.com/track");
        assertThat(str(PROBE_RENDERER.renderFlexMessage("probe", data, EN_JP))).contains("\"uri\":\"http://shop.example.com/track\"");
        // a real template: "call us" on a contact centre notice
        ObjectNode cc = catalog().find("contact_center").orElseThrow().sample().put("contactUrl", "tel:0212345678");
        assertThat(str(new TemplateRenderer(catalog()).renderFlexMessage("contact_center", cc,
                new RenderOptions("th", "TH", ZoneId.of("Asia/Bangkok"), true)))).contains("\"uri\":\"tel:0212345678\"");
        for (String bad : new String[]{"tel:+", "tel:abc", "line:x", "line:/x", "sms:+6612345", "https:///nohost"}) {
            assertThat(invalid(() -> PROBE_RENDERER.validate("probe", probe().put("link", bad))).reason()).as(bad).startsWith("must be a link LINE opens");
        }
    }
}
