package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.line.LineChannel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 17: the optional recipient name in a greeting; Japanese-era and ROC years beside the Buddhist era; BE on for TH. */
class TemplateGreetingAndErasTest {

    @Test
    void japaneseEraYears() {
        RenderOptions ja = new RenderOptions("ja", "JP", ZoneId.of("Asia/Tokyo"), false, true, false);
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), ja)).isEqualTo("令和8年12月1日(火)");
        assertThat(ValueFormatter.date(LocalDate.of(2019, 5, 1), ja)).isEqualTo("令和元年5月1日(水)");
        assertThat(ValueFormatter.date(LocalDate.of(2019, 4, 30), ja)).isEqualTo("平成31年4月30日(火)");
        assertThat(ValueFormatter.date(LocalDate.of(1989, 1, 7), ja)).isEqualTo("昭和64年1月7日(土)");
        // off by default, and only for Japanese
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), new RenderOptions("ja", "JP", ZoneId.of("Asia/Tokyo"), false))).isEqualTo("2026年12月1日(火)");
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), new RenderOptions("en", "JP", ZoneId.of("Asia/Tokyo"), false, true, true))).isEqualTo("1 Dec 2026");
    }

    @Test
    void rocYears() {
        RenderOptions tw = new RenderOptions("zh-TW", "TW", ZoneId.of("Asia/Taipei"), false, false, true);
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), tw)).isEqualTo("民國115年12月1日(二)");
        ObjectNode data = catalog().find("payment_reminder").orElseThrow().sample("zh-TW");
        assertThat(new TemplateRenderer(catalog()).renderFlexMessage("payment_reminder", data, tw).path("altText").asText()).contains("民國115年12月1日(二)");
    }

    @Test
    void buddhistEraIsOnByDefaultForThaiChannels() {
        assertThat(RenderOptions.defaultBuddhistEra("", "TH")).isTrue();
        assertThat(RenderOptions.defaultBuddhistEra(null, "JP")).isFalse();
        assertThat(RenderOptions.defaultBuddhistEra("false", "TH")).isFalse();
        assertThat(RenderOptions.defaultBuddhistEra("true", "TW")).isTrue();
        assertThat(new LineChannel("th", "t", "s", URI.create("https://api.line.me"), "TH", "th").buddhistEra()).isTrue();
        assertThat(new LineChannel("jp", "t", "s", URI.create("https://api.line.me"), "JP", "ja").buddhistEra()).isFalse();
    }

    @Test
    void recipientNameGreetsInEachLanguage() {
        TemplateRenderer r = new TemplateRenderer(catalog());
        String[][] cases = {{"th", "สมชาย", "เรียนคุณสมชาย"}, {"th", "คุณสมหญิง", "เรียนคุณสมหญิง"}, {"en", "John Miller", "Dear John Miller,"},
                {"ja", "山田 太郎", "山田 太郎様"}, {"zh-TW", "林志明", "親愛的林志明，您好"}};
        for (String[] c : cases) {
            ObjectNode data = catalog().find("payment_reminder").orElseThrow().sample(c[0]).put("recipientName", c[1]);
            ObjectNode flex = r.renderFlexMessage("payment_reminder", data, new RenderOptions(c[0], "JP", zoneFor(c[0]), false));
            assertThat(flex.at("/contents/body/contents/0/text").asText()).isEqualTo(c[2]);
        }
        // without a name, no greeting
        ObjectNode plain = r.renderFlexMessage("payment_reminder", catalog().find("payment_reminder").orElseThrow().sample("en"),
                new RenderOptions("en", "JP", zoneFor("en"), false));
        assertThat(str(plain)).doesNotContain("Dear");
        // the JP template LON has no item for it: unchanged
        ObjectNode ship = catalog().find("shipping_complete").orElseThrow().sample("ja");
        RenderOptions ja = new RenderOptions("ja", "JP", zoneFor("ja"), false);
        assertThat(r.renderLonTemplate("shipping_complete", ship.deepCopy().put("recipientName", "山田"), ja)).isEqualTo(r.renderLonTemplate("shipping_complete", ship, ja));
        // validated like a field
        InvalidNotificationDataException e = catchThrowableOfType(InvalidNotificationDataException.class,
                () -> r.validate("payment_reminder", catalog().find("payment_reminder").orElseThrow().sample().put("recipientName", "x".repeat(51))));
        assertThat(e.field()).isEqualTo("data.recipientName");
    }
}
