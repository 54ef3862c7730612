package io.linehub.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Json#checkText}: the path it names for a bad text or number deep in a document, and none for valid ones. */
class JsonCheckTextTest {

    private static Json.UntrustedJsonException refusal(String json) {
        try {
            Json.checkText(Json.read(json), "");
        } catch (Json.UntrustedJsonException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void namesThePathOfAnUnpairedSurrogateThroughObjectsAndArrays() {
        assertThat(refusal("{\"to\":{\"userIds\":[\"U1\",\"U\\ud800\"]}}").field()).isEqualTo("to.userIds[1]");
        assertThat(refusal("[{\"a\":\"ok\"},{\"b\":[{\"c\":\"\\udc00\"}]}]").field()).isEqualTo("[1].b[0].c");
        assertThat(refusal("{\"data\":{\"x\\ud800\":\"v\"}}").field()).as("a bad member name: its object").isEqualTo("data");
        assertThat(refusal("\"\\ud83d\"").field()).isEqualTo("body");
        assertThat(refusal("{\"data\":{\"orderNumber\":\"\\ude00\\ud83d\"}}").reason()).contains("surrogate");
    }

    @Test
    void namesThePathOfANumberTooLarge() {
        assertThat(refusal("{\"data\":{\"items\":[1.5,{\"price\":1e400}]}}").field()).isEqualTo("data.items[1].price");
        assertThat(refusal("{\"data\":{\"items\":[1.5,{\"price\":1e400}]}}").reason()).contains("too large");
    }

    @Test
    void acceptsValidTextPairsAndFiniteNumbersAndUnderAPrefix() throws Exception {
        Json.checkText(Json.read("{\"a\":\"\\ud83d\\ude00 ノンフライヤー ชุดกาแฟ\",\"b\":[1e300,-2,\"x\"],\"c\":{}}"), "");
        assertThatThrownBy(() -> Json.checkText(Json.read("{\"n\":[\"\\ud800\"]}"), "data"))
                .isInstanceOf(Json.UntrustedJsonException.class)
                .satisfies(e -> assertThat(((Json.UntrustedJsonException) e).field()).isEqualTo("data.n[0]"));
        assertThat(Json.writeBytes(Json.read("{\"a\":\"ノンフライヤー\"}"))).isEqualTo(Json.write(Json.read("{\"a\":\"ノンフライヤー\"}")).getBytes(StandardCharsets.UTF_8));
    }
}
