package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: each language has its own realistic sample (names, places, currency, links of its market), so a
 * Japanese preview shows no Thai and no {@code .co.th} link. Checked on the sample and on the Flex message rendered
 * from it in its language (title, labels, values, alt text).
 */
class TemplateSamplesTest {

    static final Pattern THAI = Pattern.compile("\\p{IsThai}");
    static final Pattern KANA = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}]");
    static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    /** Scripts a language's sample and message must not contain. */
    static final Map<String, List<Pattern>> FOREIGN = Map.of(
            "th", List.of(KANA, HAN),
            "en", List.of(THAI, KANA, HAN),
            "ja", List.of(THAI),
            "zh-TW", List.of(THAI, KANA));
    static final Map<String, String> CURRENCY = Map.of("th", "THB", "en", "USD", "ja", "JPY", "zh-TW", "TWD");
    /** Links of other markets. */
    static final Map<String, List<String>> FOREIGN_DOMAINS = Map.of(
            "th", List.of(".jp/", ".com.tw/"),
            "en", List.of(".co.th/", ".jp/", ".com.tw/"),
            "ja", List.of(".co.th/", ".com.tw/"),
            "zh-TW", List.of(".co.th/", ".jp/"));

    @TestFactory
    List<DynamicTest> eachLanguageHasItsOwnSample() {
        List<DynamicTest> tests = new ArrayList<>();
        TemplateRenderer r = new TemplateRenderer(catalog());
        for (NotificationTemplate t : catalog().all()) {
            for (String lang : RenderOptions.LANGUAGES) {
                tests.add(DynamicTest.dynamicTest(t.type() + " " + lang, () -> {
                    JsonNode sample = t.sample(lang);
                    String rendered = str(r.renderFlexMessage(t.type(), sample, new RenderOptions(lang, null, zoneFor(lang), lang.equals("th"))));
                    for (String text : List.of(str(sample), rendered)) {
                        for (Pattern p : FOREIGN.get(lang)) {
                            assertThat(p.matcher(text).find()).as(t.type() + " " + lang + " contains " + p + ": " + text).isFalse();
                        }
                        for (String domain : FOREIGN_DOMAINS.get(lang)) {
                            assertThat(text).as(t.type() + " " + lang).doesNotContain(domain);
                        }
                    }
                    for (TemplateField f : t.fields()) {
                        if (f.type() == FieldType.MONEY && sample.hasNonNull(f.name())) {
                            assertThat(sample.get(f.name()).path("currency").asText()).as(t.type() + "." + f.name() + " " + lang)
                                    .isEqualTo(CURRENCY.get(lang));
                        }
                    }
                }));
            }
        }
        return tests;
    }
}
