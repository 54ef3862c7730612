package io.linehub.template;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The business field types a template may declare (the {@code type:} of a field in the YAML). */
public enum FieldType {
    /** Free text. */
    TEXT,
    /** Calendar date, input ISO {@code yyyy-MM-dd}. */
    DATE,
    /** Instant, input ISO-8601 with offset ({@code 2026-12-01T09:30:00+07:00} or {@code ...Z}); shown in the customer's zone. */
    DATETIME,
    /** Amount with currency, input {@code {"amount": 1200.50, "currency": "THB"}}. */
    MONEY,
    /** Plain number (shown with digit grouping). */
    NUMBER,
    /** Link LINE opens: https, http, line:// or tel: (≤ 1,000 UTF-16 code units); may be a button. */
    URL,
    /** Reference such as an order or invoice number; shown as given. */
    ID;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<FieldType> parse(String s) {
        return Arrays.stream(values()).filter(t -> t.yamlName().equals(s)).findFirst();
    }

    static String allNames() {
        return Arrays.stream(values()).map(FieldType::yamlName).collect(Collectors.joining(", "));
    }
}
