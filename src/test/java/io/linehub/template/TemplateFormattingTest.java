package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Dates, datetimes and money formatted for the customer's language and time zone. */
class TemplateFormattingTest {

    static RenderOptions opts(String lang, boolean be, String zone) {
        return new RenderOptions(lang, "JP", ZoneId.of(zone), be);
    }

    @Test
    void thaiDateWithBuddhistEraYear() {
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), opts("th", true, "Asia/Bangkok"))).isEqualTo("1 ธ.ค. 2569");
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), opts("th", false, "Asia/Bangkok"))).isEqualTo("1 ธ.ค. 2026");
        // Buddhist era is a Thai option only; other languages keep the Gregorian year.
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), opts("en", true, "Asia/Bangkok"))).isEqualTo("1 Dec 2026");
        // Through the public API: the payment reminder of the issue, in Thai with BE years.
        ObjectNode flex = new TemplateRenderer(catalog()).renderFlexMessage("payment_reminder",
                catalog().find("payment_reminder").orElseThrow().sample(), opts("th", true, "Asia/Bangkok"));
        assertThat(flex.path("altText").asText()).isEqualTo("แจ้งเตือนชำระเงิน C-1001 จำนวน ฿1,200.00 ภายในวันที่ 1 ธ.ค. 2569");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            th    | 1 ธ.ค. 2026
            en    | 1 Dec 2026
            ja    | 2026年12月1日(火)
            zh-TW | 2026年12月1日(二)
            """)
    void datePerLanguage(String lang, String expected) {
        assertThat(ValueFormatter.date(LocalDate.of(2026, 12, 1), opts(lang, false, "UTC"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            th    | 1200     | THB | ฿1,200.00
            en    | 1200     | THB | 1,200.00 THB
            ja    | 1200.5   | THB | 1,200.50 THB
            zh-TW | 1234567  | THB | 1,234,567.00 THB
            ja    | 12000    | JPY | 12,000円
            en    | 12000    | JPY | 12,000 JPY
            th    | 12000    | JPY | 12,000 JPY
            zh-TW | 1200     | TWD | NT$1,200
            zh-TW | 1200.50  | TWD | NT$1,200.50
            en    | 399      | TWD | 399 TWD
            """)
    void moneyPerLanguageAndCurrency(String lang, String amount, String currency, String expected) {
        assertThat(ValueFormatter.money(new BigDecimal(amount), currency, lang)).isEqualTo(expected);
    }

    @Test
    void jpyWithDecimalsIsRejected() {
        TemplateRenderer r = new TemplateRenderer(catalog());
        ObjectNode data = catalog().find("payment_reminder").orElseThrow().sample();
        data.set("amount", obj("{\"amount\": 1200.5, \"currency\": \"JPY\"}"));
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidNotificationDataException.class,
                () -> r.validate("payment_reminder", data)).field()).isEqualTo("data.amount.amount");
    }

    @Test
    void datetimeIsConvertedToTheCustomersZone() {
        // 2026-11-30 23:30 UTC is already 1 December in Bangkok (06:30) and Tokyo (08:30).
        ObjectNode data = catalog().find("payment_complete").orElseThrow().sample().put("paidAt", "2026-11-30T23:30:00Z");
        TemplateRenderer r = new TemplateRenderer(catalog());
        String th = str(r.renderFlexMessage("payment_complete", data, opts("th", true, "Asia/Bangkok")));
        assertThat(th).contains("1 ธ.ค. 2569 06:30 น.");
        String ja = str(r.renderFlexMessage("payment_complete", data, opts("ja", false, "Asia/Tokyo")));
        assertThat(ja).contains("2026年12月1日(火) 8:30");
        String en = str(r.renderFlexMessage("payment_complete", data, opts("en", false, "America/New_York")));
        assertThat(en).contains("30 Nov 2026, 18:30");
        String zh = str(r.renderFlexMessage("payment_complete", data, opts("zh-TW", false, "Asia/Taipei")));
        assertThat(zh).contains("2026年12月1日(二) 07:30");
    }

    @Test
    void emphasisedDatetimeUsesTheShortFormInTheVenuesOffset() {
        // issue 17: an appointment is shown at the time of the place where it happens (here Bangkok, UTC+7), the
        // zone named in the label where it is not the customer's; the Thai short form keeps "น."
        ObjectNode data = catalog().find("reservation_reminder").orElseThrow().sample().put("reservationDateTime", "2026-12-10T14:30:00+07:00");
        TemplateRenderer r = new TemplateRenderer(catalog());
        assertThat(str(r.renderFlexMessage("reservation_reminder", data, opts("th", true, "Asia/Bangkok")))).contains("\"10/12 14:30 น.\"")
                .doesNotContain("UTC+7");
        assertThat(str(r.renderFlexMessage("reservation_reminder", data, opts("ja", false, "Asia/Tokyo")))).contains("\"12/10(木) 14:30\"", "(UTC+7)");
        assertThat(str(r.renderFlexMessage("reservation_reminder", data, opts("zh-TW", false, "Asia/Taipei")))).contains("\"12/10(四) 14:30\"", "(UTC+7)");
        assertThat(str(r.renderFlexMessage("reservation_reminder", data, opts("en", false, "Asia/Bangkok")))).contains("\"10 Dec, 14:30\"");
    }

    @Test
    void numericStringsAreAccepted() {
        ObjectNode d = catalog().find("order_confirmation").orElseThrow().sample().put("quantity", " 1200 ");
        d.set("totalAmount", obj("{\"amount\": \" 2590.50 \", \"currency\": \"THB\"}"));
        String en = str(new TemplateRenderer(catalog()).renderFlexMessage("order_confirmation", d, opts("en", false, "Asia/Bangkok")));
        assertThat(en).contains("\"1,200\"", "2,590.50 THB");
    }

    @Test
    void numbersAreGrouped() {
        assertThat(ValueFormatter.number(new BigDecimal("1234567"))).isEqualTo("1,234,567");
        assertThat(ValueFormatter.number(new BigDecimal("4"))).isEqualTo("4");
        assertThat(ValueFormatter.number(new BigDecimal("2.5"))).isEqualTo("2.5");
    }
}
