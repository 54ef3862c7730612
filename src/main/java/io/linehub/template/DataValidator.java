package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Iterator;
import java.util.stream.Collectors;

/** Checks notification data against a template; the first problem is thrown as InvalidNotificationDataException. */
final class DataValidator {

    /** LINE: a button URL is at most 1,000 characters. */
    static final int MAX_URL = 1000;
    /** Optional in the data of every type: the recipient's name, shown in a greeting ("山田様", "เรียนคุณสมชาย", "Dear John,"). */
    static final String RECIPIENT_NAME = "recipientName";
    static final int MAX_RECIPIENT_NAME = 50;

    private DataValidator() {
    }

    /**
     * Length as LINE counts it: UTF-16 code units (https://developers.line.biz/en/docs/messaging-api/text-character-count),
     * so an emoji such as 🍎 or a supplementary character such as 𠮷 counts 2.
     */
    static int length(String s) {
        return s.length();
    }

    /** Length of an action label (a Flex button's): LINE counts these in grapheme clusters, not UTF-16 code units. */
    static int graphemes(String s) {
        java.text.BreakIterator it = java.text.BreakIterator.getCharacterInstance(java.util.Locale.ROOT);
        it.setText(s);
        int n = 0;
        while (it.next() != java.text.BreakIterator.DONE) {
            n++;
        }
        return n;
    }

    static void validate(NotificationTemplate t, JsonNode data, String prefix) {
        if (data == null || !data.isObject()) {
            throw new InvalidNotificationDataException(prefix, "must be a JSON object with the fields of " + t.type());
        }
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (t.field(name).isEmpty() && !name.equals(RECIPIENT_NAME)) {
                throw new InvalidNotificationDataException(prefix + "." + name, "is not a field of " + t.type() + " (known fields: "
                        + t.fields().stream().map(TemplateField::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        JsonNode recipientName = data.get(RECIPIENT_NAME);
        if (recipientName != null && !recipientName.isNull() && t.field(RECIPIENT_NAME).isEmpty()) {
            String path = prefix + "." + RECIPIENT_NAME;
            requireText(recipientName, path, "the recipient's name for the greeting");
            if (recipientName.asText().chars().anyMatch(Character::isISOControl)) {
                throw new InvalidNotificationDataException(path, "must not contain line breaks or control characters");
            }
            maxLength(recipientName.asText(), MAX_RECIPIENT_NAME, path);
        }
        for (TemplateField f : t.fields()) {
            JsonNode v = data.get(f.name());
            String path = prefix + "." + f.name();
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                if (f.required()) {
                    throw new InvalidNotificationDataException(path, "is required for " + t.type() + " but is missing or empty");
                }
                continue;
            }
            validateValue(f, v, path);
        }
    }

    private static void validateValue(TemplateField f, JsonNode v, String path) {
        switch (f.type()) {
            case TEXT -> {
                requireText(v, path, "text");
                maxLength(v.asText(), f.maxLength(), path);
            }
            case ID -> {
                if (!(v.isTextual() || v.isIntegralNumber())) {
                    throw new InvalidNotificationDataException(path, "must be a string (an identifier such as an order number), not " + v.getNodeType().name().toLowerCase());
                }
                String s = v.isTextual() ? v.asText() : v.toString();
                if (s.chars().anyMatch(Character::isISOControl)) {
                    throw new InvalidNotificationDataException(path, "must not contain line breaks or control characters");
                }
                maxLength(s, f.maxLength(), path);
            }
            case DATE -> {
                requireText(v, path, "date in the form yyyy-MM-dd");
                try {
                    LocalDate.parse(v.asText(), DateTimeFormatter.ISO_LOCAL_DATE);
                } catch (DateTimeParseException e) {
                    throw new InvalidNotificationDataException(path, "must be a date in the form yyyy-MM-dd (e.g. 2026-12-01)");
                }
            }
            case DATETIME -> {
                requireText(v, path, "date-time");
                try {
                    OffsetDateTime.parse(v.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                } catch (DateTimeParseException e) {
                    throw new InvalidNotificationDataException(path, "must be an ISO-8601 date-time with a UTC offset (e.g. 2026-12-01T09:30:00+07:00)");
                }
            }
            case NUMBER -> number(v, path);
            case MONEY -> money(f, v, path);
            case URL -> url(v, f.maxLength(), path);
        }
    }

    private static void requireText(JsonNode v, String path, String what) {
        if (!v.isTextual()) {
            throw new InvalidNotificationDataException(path, "must be a string (" + what + "), not " + v.getNodeType().name().toLowerCase());
        }
    }

    private static void maxLength(String s, int max, String path) {
        int n = length(s);
        if (n > max) {
            throw new InvalidNotificationDataException(path, "is " + n + " characters long; at most " + max + " are allowed");
        }
    }

    private static BigDecimal number(JsonNode v, String path) {
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            if (Math.abs(d.scale()) > 40 || d.precision() > 40) {
                throw new InvalidNotificationDataException(path, "is a number too large or too precise to show");
            }
            return d;
        }
        if (v.isTextual()) {
            try {
                BigDecimal d = new BigDecimal(v.asText().trim());
                if (Math.abs(d.scale()) > 40 || d.precision() > 40) {
                    throw new InvalidNotificationDataException(path, "is a number too large or too precise to show");
                }
                return d;
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new InvalidNotificationDataException(path, "must be a number");
    }

    private static void money(TemplateField f, JsonNode v, String path) {
        if (!v.isObject() || v.get("amount") == null || v.get("currency") == null) {
            throw new InvalidNotificationDataException(path, "must be an amount with its currency, like {\"amount\": 1200.50, \"currency\": \"THB\"}");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("amount") && !k.equals("currency")) {
                throw new InvalidNotificationDataException(path + "." + k, "is not part of a money value (only amount and currency)");
            }
        }
        BigDecimal amount = number(v.get("amount"), path + ".amount");
        String code = v.get("currency").asText();
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new InvalidNotificationDataException(path + ".currency", "is not an ISO 4217 currency code such as THB, JPY or TWD");
        }
        if (!f.currencies().isEmpty() && !f.currencies().contains(code)) {
            throw new InvalidNotificationDataException(path + ".currency", "is not accepted here (accepted: " + String.join(", ", f.currencies()) + ")");
        }
        if (amount.signum() < 0) {
            throw new InvalidNotificationDataException(path + ".amount", "must not be negative");
        }
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        if (amount.stripTrailingZeros().scale() > digits) {
            throw new InvalidNotificationDataException(path + ".amount", code + " amounts have at most " + digits + " decimal places");
        }
    }

    static void url(JsonNode v, int max, String path) {
        requireText(v, path, "link");
        String s = v.asText();
        int n = length(s);
        if (n > Math.min(max, MAX_URL)) {
            throw new InvalidNotificationDataException(path, "is " + n + " characters long; LINE allows URLs of at most " + Math.min(max, MAX_URL) + " characters");
        }
        checkLink(s, path);
    }

    /** LINE's URI action opens http, https, line and tel links (a "call us" button is a tel: link). */
    private static final java.util.regex.Pattern TEL = java.util.regex.Pattern.compile("tel:\\+?[0-9][0-9()\\-.]*");

    static void checkLink(String s, String path) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (Exception e) {
            throw new InvalidNotificationDataException(path, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ok = switch (scheme) {
            case "https", "http" -> uri.getHost() != null;
            case "tel" -> TEL.matcher(s).matches();
            case "line" -> s.length() > "line://".length() && s.regionMatches(true, 0, "line://", 0, "line://".length());
            default -> false;
        };
        if (!ok) {
            throw new InvalidNotificationDataException(path, "must be a link LINE opens: https://host/…, http://host/…, line://… or tel:+…");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidNotificationDataException(path, "must not carry a user name or password before the host");
        }
    }
}
