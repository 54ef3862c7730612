package io.linehub.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the notifications and dead-letter pages search for, from the form's fields (each optional): id, customer id,
 * type, status, channel and a time range ({@code from}, {@code to}: a date, a date and time, or an ISO instant; UTC).
 * A value that cannot be meant is refused naming the field ({@link DashboardInputException}), never quietly ignored.
 */
record NotificationFilter(String id, String customerId, String type, String status, String channel, Instant from, Instant to, String fromText,
                          String toText) {

    static final Set<String> STATUSES = Set.of("QUEUED", "SCHEDULED", "SENDING", "SENT", "DELIVERED", "RETRY_WAIT", "UNCERTAIN",
            "UNDELIVERED", "FAILED", "EXPIRED");

    static NotificationFilter from(Function<String, String> field) {
        String status = text(field, "status", 16);
        if (status != null && !STATUSES.contains(status)) {
            throw new DashboardInputException("status", "must be one of " + new java.util.TreeSet<>(STATUSES));
        }
        String from = text(field, "from", 40);
        String to = text(field, "to", 40);
        return new NotificationFilter(text(field, "id", 36), text(field, "customerId", 64), text(field, "type", 64), status,
                text(field, "channel", 64), time("from", from, false), time("to", to, true), from, to);
    }

    private static String text(Function<String, String> field, String name, int max) {
        String v = field.apply(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        v = v.trim();
        if (v.length() > max) {
            throw new DashboardInputException(name, "is longer than " + max + " characters");
        }
        return v;
    }

    /** A date (the whole day: from its start, to its end), a date and time (as a browser's datetime-local sends it) or an instant. */
    private static Instant time(String field, String v, boolean end) {
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(v).toInstant();
            }
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new DashboardInputException(field, "is not a date (2026-12-02), a date and time (2026-12-02T09:30) or an instant (UTC)");
        }
    }

    /** The filter as query parameters (for pagination links and the bulk replay form). */
    Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("customerId", customerId);
        p.put("type", type);
        p.put("status", status);
        p.put("channel", channel);
        p.put("from", fromText);
        p.put("to", toText);
        return p;
    }
}
