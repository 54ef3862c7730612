package io.linehub.testsupport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator itself must catch what LINE would reject, or the schema tests elsewhere prove nothing. */
class LineOpenApiTest {

    private static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer t", "Content-Type", "application/json");

    @Test
    void acceptsLinesOwnTemplateExample() {
        String body = "{\"to\":\"c9fb9ae95bff879cbcdfc9edf6716640bc40841f3b7352140daa1431af4c319e\",\"templateKey\":\"shipment_completed_ja\","
                + "\"body\":{\"emphasizedItem\":{\"itemKey\":\"date_002_ja\",\"content\":\"2024年8月10日(土)\"},"
                + "\"items\":[{\"itemKey\":\"number_001_ja\",\"content\":\"1234567\"}],"
                + "\"buttons\":[{\"buttonKey\":\"contact_ja\",\"url\":\"https://example.com/ContactUs/\"}]}}";
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/pnp/templated/push", HEADERS, body)).isEmpty();
    }

    @Test
    void rejectsTemplateRequestWithoutTemplateKeyOrWithBadHash() {
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/pnp/templated/push", HEADERS, "{\"to\":\"abc\"}")).isNotEmpty();
    }

    @Test
    void acceptsValidPushAndRejectsUnknownMessageType() {
        String ok = "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"text\",\"text\":\"hello\"}]}";
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/push", HEADERS, ok)).isEmpty();
        String bad = "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"nonsense\"}]}";
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/push", HEADERS, bad)).isNotEmpty();
    }

    @Test
    void acceptsFlexBubbleAndRejectsFlexWithoutAltText() {
        String flex = "{\"to\":\"U4af4980629ad1a2d7f2b1f6f1b2c3d4e\",\"messages\":[{\"type\":\"flex\",\"altText\":\"Shipped\","
                + "\"contents\":{\"type\":\"bubble\",\"body\":{\"type\":\"box\",\"layout\":\"vertical\",\"contents\":[{\"type\":\"text\",\"text\":\"Shipped\"}]}}}]}";
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/push", HEADERS, flex)).isEmpty();
        String noAlt = flex.replace("\"altText\":\"Shipped\",", "");
        assertThat(LineOpenApi.validate("POST", "/v2/bot/message/push", HEADERS, noAlt)).isNotEmpty();
    }
}
