package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Venue-local times (issue 17): a departure at Don Mueang at 08:15+07:00 is 08:15 for every customer, with the
 * zone named when it is not the customer's; only fields declared {@code instant: true} are converted.
 */
class TemplateTimesTest {

    static final String BANGKOK_0815 = "2026-12-20T08:15:00+07:00";
    /** The full (row, alt text) form of 08:15 on 20 Dec 2026 in each language, without any zone note. */
    static final Map<String, String> FULL_0815 = Map.of("th", "20 ธ.ค. 2026 08:15 น.", "en", "20 Dec 2026, 08:15",
            "ja", "2026年12月20日(日) 8:15", "zh-TW", "2026年12月20日(日) 08:15");
    static final Map<String, String> SHORT_0815 = Map.of("th", "20/12 08:15 น.", "en", "20 Dec, 08:15",
            "ja", "12/20(日) 8:15", "zh-TW", "12/20(日) 08:15");
    /** 08:15 in Bangkok is 10:15 in Tokyo. */
    static final Map<String, String> FULL_1015_TOKYO = Map.of("th", "20 ธ.ค. 2026 10:15 น.", "en", "20 Dec 2026, 10:15",
            "ja", "2026年12月20日(日) 10:15", "zh-TW", "2026年12月20日(日) 10:15");

    @TestFactory
    List<DynamicTest> everyDatetimeFieldInEveryLanguage() {
        List<DynamicTest> tests = new ArrayList<>();
        TemplateRenderer r = new TemplateRenderer(catalog());
        for (NotificationTemplate t : catalog().all()) {
            for (TemplateField f : t.fields()) {
                if (f.type() != FieldType.DATETIME) {
                    continue;
                }
                for (String lang : RenderOptions.LANGUAGES) {
                    tests.add(DynamicTest.dynamicTest(t.type() + "." + f.name() + " " + lang, () -> {
                        ObjectNode data = t.sample();
                        data.put(f.name(), BANGKOK_0815);
                        // a customer in Tokyo (UTC+9)
                        ObjectNode flex = r.renderFlexMessage(t.type(), data, new RenderOptions(lang, "JP", ZoneId.of("Asia/Tokyo"), false));
                        String json = str(flex);
                        if (f.instant()) {
                            assertThat(json).as("an instant is converted to the customer's zone").contains(FULL_1015_TOKYO.get(lang));
                            assertThat(json).doesNotContain("UTC+7");
                        } else if (f.emphasized()) {
                            assertThat(json).contains("\"" + SHORT_0815.get(lang) + "\"");
                            assertThat(json).as("the label names the venue's zone").contains(f.label(lang) + " (UTC+7)");
                        } else {
                            assertThat(json).contains(FULL_0815.get(lang) + " (UTC+7)");
                        }
                        assertThat(json).as("no converted venue time").doesNotContain(f.instant() ? FULL_0815.get(lang) : "10:15");
                        // a customer in Bangkok: the venue's own zone, so no note
                        String local = str(r.renderFlexMessage(t.type(), data, new RenderOptions(lang, "TH", ZoneId.of("Asia/Bangkok"), false)));
                        assertThat(local).contains(f.emphasized() ? SHORT_0815.get(lang) : FULL_0815.get(lang)).doesNotContain("UTC+7");
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(12 * 4);
        return tests;
    }

    @Test
    void theFlightFromDonMueangLeavesAt0815ForEveryone() {
        TemplateRenderer r = new TemplateRenderer(catalog());
        ObjectNode data = catalog().find("transport_reservation").orElseThrow().sample();
        data.put("departureDateTime", BANGKOK_0815);
        for (String lang : RenderOptions.LANGUAGES) {
            String alt = r.renderFlexMessage("transport_reservation", data, new RenderOptions(lang, "TW", ZoneId.of("Asia/Taipei"), false))
                    .path("altText").asText();
            assertThat(r.renderFlexMessage("transport_reservation", data, new RenderOptions(lang, "TW", ZoneId.of("Asia/Taipei"), false))
                    .toString()).doesNotContain("09:15");
            assertThat(alt).doesNotContain("09:15");
        }
    }

    @Test
    void utcOffsetsAreNamedShortly() {
        assertThat(ValueFormatter.utcOffset(java.time.ZoneOffset.ofHours(7))).isEqualTo("UTC+7");
        assertThat(ValueFormatter.utcOffset(java.time.ZoneOffset.ofHoursMinutes(5, 30))).isEqualTo("UTC+5:30");
        assertThat(ValueFormatter.utcOffset(java.time.ZoneOffset.ofHours(-3))).isEqualTo("UTC-3");
        assertThat(ValueFormatter.utcOffset(java.time.ZoneOffset.UTC)).isEqualTo("UTC");
    }
}
