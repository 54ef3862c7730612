package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.testsupport.LineOpenApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every template × every language × every channel: the rendered payload, wrapped in the real request body,
 * must pass LINE's official OpenAPI schema (and, for template LON, the hub's pnp-templated fragment).
 */
class TemplateSchemaTest {

    static final List<String> USE_CASES = List.of("delivery", "shipping_complete", "reservation", "reservation_reminder",
            "transport_reservation", "transport_reminder", "transport_update", "departure_notice", "payment_reminder",
            "payment_complete", "payment_failure", "reimbursement", "product_complete", "quotation_complete", "order_confirmation",
            "subscription_fee", "application_status", "registration_complete", "expiration_notice", "contact_center",
            "issue_resolution", "repair_complete");

    @Test
    void catalogueHasExactlyThe22UseCases() {
        assertThat(catalog().all()).extracting(NotificationTemplate::type)
                .containsExactlyElementsOf(USE_CASES.stream().sorted().toList());
    }

    /** type × language × data variant (full sample, or required fields only). */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String type : USE_CASES) {
            for (String lang : RenderOptions.LANGUAGES) {
                out.add(Arguments.of(type, lang, "sample"));
                out.add(Arguments.of(type, lang, "required-only"));
            }
        }
        return out.stream();
    }

    /** The language's own sample (issue 17), or its required fields only. */
    static ObjectNode data(String type, String lang, String variant) {
        NotificationTemplate t = catalog().find(type).orElseThrow();
        ObjectNode d = t.sample(lang);
        if (variant.equals("required-only")) {
            for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
                if (!t.field(it.next()).orElseThrow().required()) {
                    it.remove();
                }
            }
        }
        return d;
    }

    @ParameterizedTest(name = "{0} {1} {2}: Flex via flexible LON, push, multicast, broadcast")
    @MethodSource("cases")
    void flexMessageIsValidForEveryChannel(String type, String lang, String variant) {
        TemplateRenderer r = new TemplateRenderer(catalog());
        ObjectNode flex = r.renderFlexMessage(type, data(type, lang, variant), new RenderOptions(lang, "TH", zoneFor(lang), lang.equals("th")));

        assertThat(flex.path("type").asText()).isEqualTo("flex");
        assertThat(flex.path("altText").asText()).isNotBlank().doesNotContain("{").hasSizeLessThanOrEqualTo(1500);
        assertThat(flex.path("contents").path("type").asText()).isEqualTo("bubble");
        assertThat(str(flex.get("contents")).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(30_000);
        assertNoEmptyTexts(flex.get("contents"));

        ArrayNode messages = JSON.createArrayNode().add(flex);
        ObjectNode lon = JSON.createObjectNode().put("to", HASHED_PHONE);
        lon.set("messages", messages);
        assertValid("POST", "/bot/pnp/push", lon);

        ObjectNode push = JSON.createObjectNode().put("to", USER_ID);
        push.set("messages", messages);
        assertValid("POST", "/v2/bot/message/push", push);

        ObjectNode multicast = JSON.createObjectNode();
        multicast.set("to", JSON.createArrayNode().add(USER_ID).add("U0123456789abcdef0123456789abcdef"));
        multicast.set("messages", messages);
        assertValid("POST", "/v2/bot/message/multicast", multicast);

        ObjectNode broadcast = JSON.createObjectNode();
        broadcast.set("messages", messages);
        assertValid("POST", "/v2/bot/message/broadcast", broadcast);
    }

    @ParameterizedTest(name = "{0} {1} {2}: template LON for JP")
    @MethodSource("cases")
    void lonTemplateIsValidWhereAJapaneseKeyExists(String type, String lang, String variant) {
        TemplateRenderer r = new TemplateRenderer(catalog());
        RenderOptions jp = new RenderOptions(lang, "JP", zoneFor(lang), false);
        boolean hasKey = catalog().find(type).orElseThrow().lon("JP").map(LonMapping::configured).orElse(false);
        if (!hasKey) {
            assertThatThrownBy(() -> r.renderLonTemplate(type, data(type, lang, variant), jp))
                    .isInstanceOf(MissingTemplateKeyException.class)
                    .hasMessage("no LINE template key configured for " + type + " in JP");
            return;
        }
        ObjectNode lon = r.renderLonTemplate(type, data(type, lang, variant), jp);
        assertThat(lon.path("templateKey").asText()).isEqualTo("shipment_completed_ja");
        assertThat(lon.path("body").path("emphasizedItem").path("content").asText().codePointCount(0,
                lon.path("body").path("emphasizedItem").path("content").asText().length())).isBetween(1, 15);
        ObjectNode request = lon.deepCopy();
        request.put("to", HASHED_PHONE);
        assertValid("POST", "/v2/bot/message/pnp/templated/push", request);
    }

    @Test
    void shippingCompleteUsesOnlyTheDocumentedJapaneseKeys() {
        // issue 17: rendered from the Japanese sample (it was the Thai one: Thai text and a .co.th link in a Japanese message)
        TemplateRenderer r = new TemplateRenderer(catalog());
        ObjectNode lon = r.renderLonTemplate("shipping_complete", catalog().find("shipping_complete").orElseThrow().sample("ja"),
                new RenderOptions("ja", "JP", zoneFor("ja"), false));
        assertThat(lon).isEqualTo(obj("""
                {"templateKey":"shipment_completed_ja","body":{
                  "emphasizedItem":{"itemKey":"date_002_ja","content":"2026年12月1日(火)"},
                  "items":[{"itemKey":"number_001_ja","content":"JP-2026-004512"},
                           {"itemKey":"name_010_ja","content":"お歳暮ギフトセット"}],
                  "buttons":[{"buttonKey":"check_delivery_status_ja","url":"https://shop.example.jp/track/456789012345"}]}}"""));
        // carrier and trackingNumber have no documented JP key: not part of the JP template, but shown in Flex.
        ObjectNode flex = r.renderFlexMessage("shipping_complete", catalog().find("shipping_complete").orElseThrow().sample("ja"),
                new RenderOptions("ja", "JP", zoneFor("ja"), false));
        assertThat(str(flex)).contains("ヤマト運輸", "4567-8901-2345", "配送業者");
    }

    @Test
    void everyShippedKeyIsOneLineDocuments() {
        List<String> documented = List.of("shipment_completed_ja", "date_002_ja", "time_range_001_ja", "number_001_ja", "price_001_ja",
                "name_010_ja", "check_delivery_status_ja", "contact_ja");
        for (NotificationTemplate t : catalog().all()) {
            for (String country : RenderOptions.COUNTRIES) {
                t.lon(country).ifPresent(m -> {
                    if (!country.equals("JP")) {
                        assertThat(m.configured()).as(t.type() + " " + country).isFalse();
                    }
                    if (m.configured()) {
                        assertThat(documented).contains(m.templateKey());
                    }
                    assertThat(documented).containsAll(m.itemKeys().values()).containsAll(m.buttonKeys().values());
                });
            }
        }
        assertThat(catalog().all().stream().filter(t -> t.lon("JP").map(LonMapping::configured).orElse(false)).map(NotificationTemplate::type))
                // issue 17: delivery no longer maps to shipment_completed_ja (its fixed title says "shipment completed")
                .containsExactly("shipping_complete");
    }

    /** Guards against a vacuous schema check: the validator must see inside the rendered bubble and LON body. */
    @Test
    void validatorRejectsBrokenRenderings() {
        TemplateRenderer r = new TemplateRenderer(catalog());
        RenderOptions en = new RenderOptions("en", "JP", zoneFor("en"), false);
        ObjectNode flex = r.renderFlexMessage("shipping_complete", catalog().find("shipping_complete").orElseThrow().sample(), en);
        ((ObjectNode) flex.get("contents").get("body")).put("layout", "diagonal");
        ObjectNode push = JSON.createObjectNode().put("to", USER_ID);
        push.set("messages", JSON.createArrayNode().add(flex));
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/push", HEADERS, str(push))).isNotEmpty();

        ObjectNode lon = r.renderLonTemplate("shipping_complete", catalog().find("shipping_complete").orElseThrow().sample(), en);
        ((ObjectNode) lon.get("body").get("emphasizedItem")).put("content", "Tuesday, 1 December 2026");
        lon.put("to", HASHED_PHONE);
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/pnp/templated/push", HEADERS, str(lon))).isNotEmpty();
    }

    private static void assertNoEmptyTexts(JsonNode n) {
        if (n.isObject() && n.path("type").asText().equals("text")) {
            assertThat(n.path("text").asText()).as("Flex text components must not be empty").isNotBlank();
        }
        n.forEach(TemplateSchemaTest::assertNoEmptyTexts);
    }

    private static void assertValid(String method, String path, ObjectNode body) {
        List<String> errors = LineOpenApi.validate(method, path, HEADERS, str(body));
        assertThat(errors).as(path + " " + body).isEmpty();
    }
}
