package io.linehub.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.intake.RequestRejectedException;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping's grammar and conversions, and the mistakes that stop a mapped route at start. */
class FieldMappingTest {

    private static ObjectNode map(String mapping, Map<String, String> row) {
        return FieldMapping.parse(mapping, null, ZoneId.of("Asia/Tokyo")).map("shipping_complete", f -> row.get(f.source())).request();
    }

    @Test
    void commasInsideNumberPatternsAndQuotedConstantsDoNotSplitPairs() {
        assertThat(FieldMapping.split("amount=AMT|#,##0.00, amount.currency='JPY, yen', phone=TEL"))
                .containsExactly("amount=AMT|#,##0.00", " amount.currency='JPY, yen'", " phone=TEL");
    }

    @Test
    void patternsTurnTheSourcesFormsIntoTheApis() {
        ObjectNode r = map("phone=TEL, shippedDate=D|yyyy/MM/dd, orderDate=T|yyyy/MM/dd HH:mm, total=AMT|¥#,##0, total.currency='JPY',"
                        + " dueDate=W|Gy年M月d日|japanese, sendAt=S|yyyyMMddHHmmXX",
                Map.of("TEL", "090-1234-5678", "D", "2026/11/27", "T", "2026/11/27 14:30", "AMT", "¥12,800", "W", "令和8年12月1日",
                        "S", "202612010900+0900"));
        assertThat(r.at("/data/shippedDate").asText()).isEqualTo("2026-11-27");
        assertThat(r.at("/data/orderDate").asText()).isEqualTo("2026-11-27T14:30:00+09:00");
        assertThat(r.at("/data/total/amount").asText()).isEqualTo("12800");
        assertThat(r.at("/data/total/currency").asText()).isEqualTo("JPY");
        assertThat(r.at("/data/dueDate").asText()).isEqualTo("2026-12-01");
        assertThat(r.at("/sendAt").asText()).isEqualTo("2026-12-01T09:00:00+09:00");
        assertThat(r.at("/to/phone").asText()).isEqualTo("090-1234-5678");
    }

    @Test
    void viaAndChannelAreHandedToIntakeUnderTheApisNames() {
        ObjectNode r = map("customerId=C, via=V, channel=CH", Map.of("C", "C-1001", "V", "push", "CH", "th-main"));
        assertThat(r.path("via").asText()).isEqualTo("push");
        assertThat(r.path("channel").asText()).isEqualTo("th-main");
    }

    @Test
    void aValueThatDoesNotFitItsPatternIsRefusedNamingTheColumnNotTheValue() {
        assertThatThrownBy(() -> map("customerId=C, shippedDate=D|yyyy/MM/dd", Map.of("C", "C-1", "D", "27.11.2026")))
                .isInstanceOf(RequestRejectedException.class)
                .satisfies(e -> {
                    assertThat(((RequestRejectedException) e).field()).isEqualTo("D");
                    assertThat(((RequestRejectedException) e).reason()).contains("yyyy/MM/dd").doesNotContain("27.11.2026");
                });
    }

    @Test
    void rejectedRequestFieldsAreTracedBackToTheirColumns() {
        FieldMapping m = FieldMapping.parse("phone=TEL, amount=AMT, amount.currency=CUR, via=KIND", "TYP", null);
        assertThat(m.sourceOf("to.phone")).isEqualTo("TEL");
        assertThat(m.sourceOf("data.amount.amount")).isEqualTo("AMT");
        assertThat(m.sourceOf("data.amount.currency")).isEqualTo("CUR");
        assertThat(m.sourceOf("type")).isEqualTo("TYP");
        assertThat(m.sourceOf("via")).isEqualTo("KIND");
        assertThat(m.sourceOf("channel")).as("channel is not mapped here").isNull();
        assertThat(m.sourceOf("TEL")).as("already a column").isNull();
    }

    private static MappedFileFormat format(String charset, String type, String typeColumn, String mapping, String widths) {
        MappedFileFormat f = new MappedFileFormat();
        f.setCharset(charset);
        f.setType(type);
        f.setTypeColumn(typeColumn);
        f.setMapping(mapping);
        f.setWidths(widths);
        return f;
    }

    @Test
    void mistakesInTheTemplatesParametersStopTheRouteAtStartWithTheReason() {
        assertThatThrownBy(() -> format("UTF-8", "shipping_complete", "", "phone=TEL, shippedDate=D|yyyy/MM/ddb", "").check())
                .hasMessageContaining("shippedDate").hasMessageContaining("not a date pattern");
        assertThatThrownBy(() -> format("SJIS-2004-nope", "shipping_complete", "", "phone=TEL", "").check())
                .hasMessageContaining("charset 'SJIS-2004-nope'");
        assertThatThrownBy(() -> format("UTF-8", "shipping_complete", "", "orderNumber=NO", "").check())
                .hasMessageContaining("no recipient");
        assertThatThrownBy(() -> format("UTF-8", "shipping_complete", "KIND", "phone=TEL", "").check())
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> format("UTF-8", "shipping_complete", "", "phone=TEL, sendAt=S|yyyy/MM/dd HH:mm", "").check())
                .hasMessageContaining("timeZone");
        assertThatThrownBy(() -> format("UTF-8", "shipping_complete", "", "phone=TEL, total.currency='JPY'", "").check())
                .hasMessageContaining("total.currency");
        assertThatThrownBy(() -> format("UTF-16", "shipping_complete", "", "phone=1", "10,5").check())
                .hasMessageContaining("widthUnit=characters");
    }
}
