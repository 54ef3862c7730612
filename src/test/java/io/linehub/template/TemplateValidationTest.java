package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** validate(type, data): field() names the data field, reason() is a sentence. */
class TemplateValidationTest {

    final TemplateRenderer renderer = new TemplateRenderer(catalog());

    private InvalidNotificationDataException invalid(String type, ObjectNode data) {
        InvalidNotificationDataException e = catchThrowableOfType(InvalidNotificationDataException.class, () -> renderer.validate(type, data));
        assertThat(e).as("expected InvalidNotificationDataException").isNotNull();
        return e;
    }

    private ObjectNode sample(String type) {
        return catalog().find(type).orElseThrow().sample();
    }

    @Test
    void everySampleIsValid() {
        catalog().all().forEach(t -> renderer.validate(t.type(), t.sample()));
    }

    @Test
    void unknownType() {
        InvalidNotificationDataException e = invalid("payment_remind", sample("payment_reminder"));
        assertThat(e.field()).isEqualTo("type");
        assertThat(e.reason()).startsWith("is not a known notification type").doesNotContain("payment_remind'");
    }

    @Test
    void missingRequiredField() {
        // issue 17: orderNumber is optional now (a shipped card or contract has no order), shippedDate is required
        ObjectNode d = sample("shipping_complete");
        d.remove("shippedDate");
        InvalidNotificationDataException e = invalid("shipping_complete", d);
        assertThat(e.field()).isEqualTo("data.shippedDate");
        assertThat(e.reason()).isEqualTo("is required for shipping_complete but is missing or empty");
        assertThat(invalid("shipping_complete", sample("shipping_complete").put("shippedDate", " ")).field()).isEqualTo("data.shippedDate");
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        renderer.validate("shipping_complete", obj("{\"orderNumber\":\"A1\",\"shippedDate\":\"2026-12-01\"}"));
    }

    @Test
    void tooLong() {
        InvalidNotificationDataException e = invalid("shipping_complete", sample("shipping_complete").put("orderNumber", "9".repeat(65)));
        assertThat(e.field()).isEqualTo("data.orderNumber");
        assertThat(e.reason()).isEqualTo("is 65 characters long; at most 64 are allowed");
    }

    @Test
    void badDateAndDatetime() {
        InvalidNotificationDataException e = invalid("shipping_complete", sample("shipping_complete").put("shippedDate", "01/12/2026"));
        assertThat(e.field()).isEqualTo("data.shippedDate");
        assertThat(e.reason()).contains("yyyy-MM-dd");
        assertThat(invalid("shipping_complete", sample("shipping_complete").put("shippedDate", "2026-02-30")).field()).isEqualTo("data.shippedDate");
        InvalidNotificationDataException dt = invalid("payment_complete", sample("payment_complete").put("paidAt", "2026-12-01T10:00:00"));
        assertThat(dt.field()).isEqualTo("data.paidAt");
        assertThat(dt.reason()).contains("UTC offset");
    }

    @Test
    void badUrl() {
        InvalidNotificationDataException e = invalid("shipping_complete", sample("shipping_complete").put("trackingUrl", "ftp://shop.example.co.th/t"));
        assertThat(e.field()).isEqualTo("data.trackingUrl");
        assertThat(e.reason()).startsWith("must be a link LINE opens");
    }

    @Test
    void badMoney() {
        ObjectNode d = sample("payment_reminder").put("amount", "1200 THB");
        assertThat(invalid("payment_reminder", d).field()).isEqualTo("data.amount");
        d.set("amount", obj("{\"amount\":1200,\"currency\":\"BAHT\"}"));
        InvalidNotificationDataException e = invalid("payment_reminder", d);
        assertThat(e.field()).isEqualTo("data.amount.currency");
        assertThat(e.reason()).contains("ISO 4217").doesNotContain("BAHT");
        d.set("amount", obj("{\"amount\":-5,\"currency\":\"THB\"}"));
        assertThat(invalid("payment_reminder", d).reason()).isEqualTo("must not be negative");
        d.set("amount", obj("{\"amount\":\"abc\",\"currency\":\"THB\"}"));
        assertThat(invalid("payment_reminder", d).field()).isEqualTo("data.amount.amount");
        d.set("amount", obj("{\"amount\":10,\"currency\":\"EUR\"}"));
        assertThat(invalid("payment_reminder", d).reason()).isEqualTo("is not accepted here (accepted: THB, JPY, TWD, USD)");
    }

    @Test
    void unknownField() {
        InvalidNotificationDataException e = invalid("shipping_complete", sample("shipping_complete").put("colour", "red"));
        assertThat(e.field()).isEqualTo("data.colour");
        assertThat(e.reason()).startsWith("is not a field of shipping_complete");
    }

    @Test
    void notAnObject() {
        InvalidNotificationDataException e = catchThrowableOfType(InvalidNotificationDataException.class,
                () -> renderer.validate("shipping_complete", JSON.getNodeFactory().textNode("x")));
        assertThat(e.field()).isEqualTo("data");
    }

    @Test
    void htmlPreviewShowsBubbleAltTextAndLonPayload() {
        String html = renderer.renderHtmlPreview("shipping_complete", sample("shipping_complete"),
                new RenderOptions("ja", "JP", ZoneId.of("Asia/Tokyo"), false));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("発送のお知らせ", "2026年12月1日(火)", "配送状況を確認",
                "shipment_completed_ja", "date_002_ja", "に発送いたしました");
        String th = renderer.renderHtmlPreview("payment_reminder", sample("payment_reminder"),
                new RenderOptions("th", "TH", ZoneId.of("Asia/Bangkok"), true));
        assertThat(th).contains("แจ้งเตือนการชำระเงิน", "1 ธ.ค. 2569", "no LINE template key configured for payment_reminder in TH");
        // Data is escaped.
        String esc = renderer.renderHtmlPreview("shipping_complete", sample("shipping_complete").put("itemName", "<script>x</script>"),
                new RenderOptions("en", "JP", ZoneId.of("Asia/Tokyo"), false));
        assertThat(esc).doesNotContain("<script>").contains("&lt;script&gt;");
    }
}
