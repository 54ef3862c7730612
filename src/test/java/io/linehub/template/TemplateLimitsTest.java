package io.linehub.template;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * LINE's limits at render time. Load-time limits (a template that can never fit) are in TemplateDefinitionTest;
 * here: data that breaks a limit, the final-payload safety net (LineLimits) and the missing-key error.
 */
class TemplateLimitsTest {

    static final TemplateCatalog PROBE = TemplateCatalog.load(FIXTURES.resolve("valid-probe"));
    static final TemplateRenderer PROBE_RENDERER = new TemplateRenderer(PROBE);
    static final RenderOptions EN_JP = new RenderOptions("en", "JP", ZoneId.of("Asia/Tokyo"), false);

    private static InvalidNotificationDataException invalid(Runnable r) {
        InvalidNotificationDataException e = catchThrowableOfType(InvalidNotificationDataException.class, r::run);
        assertThat(e).as("expected InvalidNotificationDataException").isNotNull();
        return e;
    }

    // --- emphasised item ≤ 15 characters after formatting ---

    @Test
    void emphasisedContentLongerThan15AfterFormattingIsRejected() {
        ObjectNode data = obj("{\"amount\":{\"amount\":1234567,\"currency\":\"THB\"}}");
        // English: "1,234,567.00 THB" is 16 characters.
        InvalidNotificationDataException e = invalid(() -> PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP));
        assertThat(e.field()).isEqualTo("data.amount");
        assertThat(e.reason()).contains("16 characters", "at most 15").doesNotContain("1,234,567");
        invalid(() -> PROBE_RENDERER.renderFlexMessage("probe", data, EN_JP));
        // Thai: "฿1,234,567.00" is 13 characters and fits.
        ObjectNode lon = PROBE_RENDERER.renderLonTemplate("probe", data, new RenderOptions("th", "JP", ZoneId.of("Asia/Bangkok"), false));
        assertThat(lon.at("/body/emphasizedItem/content").asText()).isEqualTo("฿1,234,567.00");
    }

    @Test
    void safetyNetRejectsEmphasisedOver15() {
        ObjectNode lon = obj("{\"templateKey\":\"k\",\"body\":{\"emphasizedItem\":{\"itemKey\":\"a\",\"content\":\"1234567890123456\"}}}");
        assertThat(invalid(() -> LineLimits.checkLon(lon)).field()).isEqualTo("body.emphasizedItem.content");
    }

    // --- items: ≤ 15, content ≤ 300, unique keys (also across the emphasised item) ---

    @Test
    void itemContentOver300IsRejected() {
        ObjectNode data = obj("{\"amount\":{\"amount\":1,\"currency\":\"THB\"}}").put("note", "x".repeat(301));
        InvalidNotificationDataException e = invalid(() -> PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP));
        assertThat(e.field()).isEqualTo("data.note");
        assertThat(e.reason()).isEqualTo("is 301 characters long; at most 300 are allowed");
        data.put("note", "x".repeat(300));
        assertThat(PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP).at("/body/items/0/content").asText()).hasSize(300);
        // Shipped template, same rule.
        ObjectNode ship = catalog().find("shipping_complete").orElseThrow().sample().put("itemName", "ก".repeat(301));
        assertThat(invalid(() -> new TemplateRenderer(catalog()).validate("shipping_complete", ship)).field()).isEqualTo("data.itemName");

        ObjectNode lon = obj("{\"templateKey\":\"k\",\"body\":{\"items\":[{\"itemKey\":\"a\",\"content\":\"" + "y".repeat(301) + "\"}]}}");
        assertThat(invalid(() -> LineLimits.checkLon(lon)).field()).isEqualTo("body.items[0].content");
    }

    @Test
    void moreThan15ItemsIsRejected() {
        ObjectNode lon = obj("{\"templateKey\":\"k\",\"body\":{}}");
        ArrayNode items = ((ObjectNode) lon.get("body")).putArray("items");
        for (int i = 0; i < 15; i++) {
            items.addObject().put("itemKey", "k" + i).put("content", "v");
        }
        LineLimits.checkLon(lon);
        items.addObject().put("itemKey", "k15").put("content", "v");
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkLon(lon));
        assertThat(e.field()).isEqualTo("body.items");
        assertThat(e.reason()).isEqualTo("has 16 items; LINE allows at most 15");
    }

    @Test
    void duplicateItemKeyIncludingTheEmphasisedItemIsRejected() {
        ObjectNode lon = obj("""
                {"templateKey":"k","body":{"emphasizedItem":{"itemKey":"date_002_ja","content":"2026年12月1日(火)"},
                 "items":[{"itemKey":"number_001_ja","content":"1"},{"itemKey":"date_002_ja","content":"2"}]}}""");
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkLon(lon));
        assertThat(e.field()).isEqualTo("body.items[1].itemKey");
        assertThat(e.reason()).contains("duplicate item key 'date_002_ja'");
        ObjectNode twice = obj("{\"templateKey\":\"k\",\"body\":{\"items\":[{\"itemKey\":\"a\",\"content\":\"1\"},{\"itemKey\":\"a\",\"content\":\"2\"}]}}");
        assertThat(invalid(() -> LineLimits.checkLon(twice)).field()).isEqualTo("body.items[1].itemKey");
    }

    // --- buttons: ≤ 2, unique keys, url ≤ 1000 and https ---

    @Test
    void moreThan2ButtonsOrDuplicateButtonKeysAreRejected() {
        ObjectNode lon = obj("""
                {"templateKey":"k","body":{"buttons":[{"buttonKey":"a","url":"https://e.com/1"},{"buttonKey":"b","url":"https://e.com/2"},
                 {"buttonKey":"c","url":"https://e.com/3"}]}}""");
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkLon(lon));
        assertThat(e.field()).isEqualTo("body.buttons");
        assertThat(e.reason()).isEqualTo("has 3 buttons; LINE allows at most 2");
        ObjectNode dup = obj("{\"templateKey\":\"k\",\"body\":{\"buttons\":[{\"buttonKey\":\"a\",\"url\":\"https://e.com/1\"},{\"buttonKey\":\"a\",\"url\":\"https://e.com/2\"}]}}");
        assertThat(invalid(() -> LineLimits.checkLon(dup)).reason()).isEqualTo("duplicate button key 'a'");
    }

    @Test
    void urlOver1000CharactersIsRejected() {
        String url1000 = "https://example.com/" + "a".repeat(1000 - 20);
        ObjectNode data = obj("{\"amount\":{\"amount\":1,\"currency\":\"THB\"}}").put("link", url1000);
        assertThat(PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP).at("/body/buttons/0/url").asText()).hasSize(1000);
        data.put("link", url1000 + "b");
        InvalidNotificationDataException e = invalid(() -> PROBE_RENDERER.renderLonTemplate("probe", data, EN_JP));
        assertThat(e.field()).isEqualTo("data.link");
        assertThat(e.reason()).isEqualTo("is 1001 characters long; LINE allows URLs of at most 1000 characters");
        invalid(() -> PROBE_RENDERER.renderFlexMessage("probe", data, EN_JP));
        assertThat(invalid(() -> LineLimits.url(url1000 + "b", "body.buttons[0].url")).field()).isEqualTo("body.buttons[0].url");
    }

    @Test
    void nonHttpsUrlIsRejected() {
        // issue 17: LINE opens http, https, line and tel links; anything else is refused
        for (String bad : new String[]{"ftp://example.com/x", "javascript:alert(1)", "example.com/track", "tel:call-us", "line:x", "mailto:a@b.c"}) {
            ObjectNode data = obj("{\"amount\":{\"amount\":1,\"currency\":\"THB\"}}").put("link", bad);
            InvalidNotificationDataException e = invalid(() -> PROBE_RENDERER.validate("probe", data));
            assertThat(e.field()).isEqualTo("data.link");
            assertThat(e.reason()).startsWith("must be a link LINE opens");
        }
    }

    // --- Flex: altText ≤ 1,500, bubble ≤ 30 KB ---

    @Test
    void flexAltTextAndBubbleSizeLimits() {
        ObjectNode ok = obj("{\"type\":\"flex\",\"altText\":\"a\",\"contents\":{\"type\":\"bubble\"}}");
        LineLimits.checkFlex(ok);
        ObjectNode longAlt = ok.deepCopy().put("altText", "ก".repeat(1501));
        InvalidNotificationDataException e = invalid(() -> LineLimits.checkFlex(longAlt));
        assertThat(e.field()).isEqualTo("altText");
        assertThat(e.reason()).isEqualTo("is 1501 characters; LINE allows at most 1500");
        ObjectNode big = ok.deepCopy();
        ((ObjectNode) big.get("contents")).put("padding", "x".repeat(30_001));
        assertThat(invalid(() -> LineLimits.checkFlex(big)).field()).isEqualTo("contents");
    }

    // --- missing LON key ---

    @Test
    void missingTemplateKeyHasTheExactMessage() {
        TemplateRenderer r = new TemplateRenderer(catalog());
        ObjectNode sample = catalog().find("payment_reminder").orElseThrow().sample();
        assertThatThrownBy(() -> r.renderLonTemplate("payment_reminder", sample, new RenderOptions("th", "TH", ZoneId.of("Asia/Bangkok"), true)))
                .isInstanceOf(MissingTemplateKeyException.class)
                .hasMessage("no LINE template key configured for payment_reminder in TH");
        assertThatThrownBy(() -> r.renderLonTemplate("shipping_complete", catalog().find("shipping_complete").orElseThrow().sample(),
                new RenderOptions("zh-TW", "TW", ZoneId.of("Asia/Taipei"), false)))
                .hasMessage("no LINE template key configured for shipping_complete in TW");
        // ... while the Flex rendering of the same notification works.
        assertThat(r.renderFlexMessage("payment_reminder", sample, new RenderOptions("th", "TH", ZoneId.of("Asia/Bangkok"), true))).isNotNull();
    }

    @Test
    void startUpReportListsEveryTypeCountryGap() {
        var gaps = catalog().missingLonKeys();
        assertThat(gaps).hasSize(22 * 3 - 1)
                .contains("no LINE template key configured for payment_reminder in TH",
                        "no LINE template key configured for payment_reminder in JP",
                        "no LINE template key configured for shipping_complete in TW",
                        "no LINE template key configured for delivery in TH",
                        // issue 17: shipment_completed_ja's fixed title does not fit a delivery schedule
                        "no LINE template key configured for delivery in JP")
                .doesNotContain("no LINE template key configured for shipping_complete in JP");
        assertThat(PROBE.missingLonKeys()).containsExactly("no LINE template key configured for probe in TH",
                "no LINE template key configured for probe in TW");
    }
}
