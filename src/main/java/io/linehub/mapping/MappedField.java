package io.linehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.intake.RequestRejectedException;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.Chronology;
import java.time.chrono.IsoChronology;
import java.time.chrono.JapaneseChronology;
import java.time.chrono.ThaiBuddhistChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * One {@code field=SOURCE|pattern|calendar} pair of a {@link FieldMapping}. The pattern says how the source writes a
 * date ({@code yyyy/MM/dd}), a date-time ({@code yyyy/MM/dd HH:mm}) or a number ({@code #,##0.00}: decimal point
 * {@code .}, grouping {@code ,}); the value is handed to intake in the API's form ({@code 2026-11-27},
 * {@code 2026-11-27T14:30:00+09:00}, {@code 1234.50}). The calendar ({@code buddhist}: Thai years such as 2569,
 * {@code japanese}: eras such as 令和8年) is for dates and date-times only.
 */
public final class MappedField {

    /** What a pattern reads. */
    public enum Kind { TEXT, DATE, DATETIME, NUMBER }

    private static final String TIME_LETTERS = "HhKkmsSnNAa";
    private static final String OFFSET_LETTERS = "XxZOVz";
    private static final String DATE_LETTERS = "yuMLdDEGQqewWYcg";

    private final String target;
    private final String source;
    private final boolean constant;
    private final String pattern;
    private final Kind kind;
    private final DateTimeFormatter dates;
    private final ZoneId zone;

    private MappedField(String target, String source, boolean constant, String pattern, Kind kind, DateTimeFormatter dates, ZoneId zone) {
        this.target = target;
        this.source = source;
        this.constant = constant;
        this.pattern = pattern;
        this.kind = kind;
        this.dates = dates;
        this.zone = zone;
    }

    static MappedField parse(String target, String spec, ZoneId zone) {
        String source = spec;
        String pattern = null;
        String calendar = null;
        boolean constant = spec.startsWith("'");
        if (constant) {
            int end = closingQuote(spec);
            if (end < 0) {
                throw new IllegalArgumentException("mapping: " + target + ": the constant has no closing quote");
            }
            source = spec.substring(1, end).replace("''", "'");
            if (!spec.substring(end + 1).isBlank()) {
                throw new IllegalArgumentException("mapping: " + target + ": a constant takes no pattern");
            }
        } else {
            String[] parts = spec.split("\\|", -1);
            source = parts[0].trim();
            if (parts.length > 1) {
                pattern = parts[1].trim();
            }
            if (parts.length > 2) {
                calendar = parts[2].trim();
            }
            if (parts.length > 3) {
                throw new IllegalArgumentException("mapping: " + target + ": give SOURCE|pattern|calendar at most");
            }
        }
        if (!constant && source.isEmpty()) {
            throw new IllegalArgumentException("mapping: " + target + " names no column");
        }
        if (pattern == null || pattern.isEmpty()) {
            if (calendar != null) {
                throw new IllegalArgumentException("mapping: " + target + ": a calendar needs a date pattern");
            }
            return new MappedField(target, source, constant, null, Kind.TEXT, null, zone);
        }
        Kind kind = kindOf(pattern);
        if (kind == Kind.NUMBER) {
            if (calendar != null) {
                throw new IllegalArgumentException("mapping: " + target + ": a calendar is for dates, not numbers");
            }
            numberFormat(pattern, target); // checked now
            return new MappedField(target, source, false, pattern, kind, null, zone);
        }
        if (kind == Kind.DATETIME && zone == null && !hasLetter(pattern, OFFSET_LETTERS)) {
            throw new IllegalArgumentException("mapping: " + target + ": the pattern '" + pattern + "' has no offset; set the template's timeZone"
                    + " (e.g. Asia/Tokyo) to say where the source's times are");
        }
        return new MappedField(target, source, false, pattern, kind, dateFormat(target, pattern, calendar), zone);
    }

    private static int closingQuote(String spec) {
        for (int i = 1; i < spec.length(); i++) {
            if (spec.charAt(i) == '\'') {
                if (i + 1 < spec.length() && spec.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    static Kind kindOf(String pattern) {
        if (hasLetter(pattern, TIME_LETTERS)) {
            return Kind.DATETIME;
        }
        if (hasLetter(pattern, DATE_LETTERS)) {
            return Kind.DATE;
        }
        return Kind.NUMBER;
    }

    /** Whether the pattern uses one of {@code letters} outside quoted literals. */
    private static boolean hasLetter(String pattern, String letters) {
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && letters.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static DateTimeFormatter dateFormat(String target, String pattern, String calendar) {
        Chronology chrono;
        String cal = calendar == null ? "iso" : calendar.toLowerCase(Locale.ROOT);
        switch (cal) {
            case "iso", "gregorian" -> chrono = IsoChronology.INSTANCE;
            case "buddhist", "thai" -> chrono = ThaiBuddhistChronology.INSTANCE;
            case "japanese" -> chrono = JapaneseChronology.INSTANCE;
            default -> throw new IllegalArgumentException("mapping: " + target + ": calendar '" + calendar + "' is not one of buddhist, japanese");
        }
        try {
            DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern);
            if (hasLetter(pattern, "y") && !hasLetter(pattern, "G")) {
                if (chrono == JapaneseChronology.INSTANCE) {
                    throw new IllegalArgumentException("mapping: " + target + ": a japanese date pattern needs the era (G, e.g. Gy年M月d日)");
                }
                b.parseDefaulting(ChronoField.ERA, 1); // yyyy is the year of the era: CE, or BE for buddhist
            }
            Locale locale = chrono == JapaneseChronology.INSTANCE ? Locale.JAPAN : Locale.ENGLISH;
            return b.toFormatter(locale).withChronology(chrono).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("mapping:")) {
                throw e;
            }
            throw new IllegalArgumentException("mapping: " + target + ": '" + pattern + "' is not a date pattern: " + e.getMessage(), e);
        }
    }

    private static DecimalFormat numberFormat(String pattern, String target) {
        try {
            DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
            f.setParseBigDecimal(true);
            return f;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping: " + target + ": '" + pattern + "' is not a number pattern (such as #,##0.00): " + e.getMessage(), e);
        }
    }

    public String target() {
        return target;
    }

    /** The column name, position or JSONPath; for a constant, its value. */
    public String source() {
        return source;
    }

    public boolean constant() {
        return constant;
    }

    public boolean hasPattern() {
        return pattern != null;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * A raw value as the API's text: through the pattern when there is one. Typed values (a database's dates,
     * numbers; JSON numbers) are written in the API's form. A value that does not fit is refused naming the source.
     */
    String text(Object raw) {
        if (raw instanceof JsonNode j) {
            raw = j.isValueNode() ? j.asText() : j.toString();
        }
        if (raw instanceof String s) {
            return pattern == null ? s : convert(s.strip());
        }
        if (raw instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (raw instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (raw instanceof java.sql.Timestamp t) {
            return zone != null ? t.toLocalDateTime().atZone(zone).toOffsetDateTime().toString() : t.toInstant().toString();
        }
        if (raw instanceof OffsetDateTime t) {
            return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        if (raw instanceof java.time.Instant t) {
            return t.toString();
        }
        if (raw instanceof java.sql.Clob c) {
            try {
                return c.getSubString(1, (int) Math.min(c.length(), 1_000_000));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("column " + source + " cannot be read", e);
            }
        }
        return pattern == null ? raw.toString() : convert(raw.toString());
    }

    private String convert(String s) {
        switch (kind) {
            case NUMBER -> {
                DecimalFormat f = numberFormat(pattern, target);
                ParsePosition at = new ParsePosition(0);
                Number n = f.parse(s, at);
                if (n == null || at.getIndex() != s.length()) {
                    throw new RequestRejectedException(source, "is not a number in the pattern " + pattern + " (" + target + ")");
                }
                return ((BigDecimal) n).toPlainString();
            }
            case DATE -> {
                try {
                    return LocalDate.from(dates.parse(s)).toString();
                } catch (java.time.DateTimeException e) {
                    throw new RequestRejectedException(source, "is not a date in the pattern " + pattern + " (" + target + ")");
                }
            }
            case DATETIME -> {
                try {
                    TemporalAccessor t = dates.parse(s);
                    LocalDateTime local = LocalDateTime.of(LocalDate.from(t), java.time.LocalTime.from(t));
                    if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                        return local.atOffset(ZoneOffset.from(t)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    }
                    ZoneId z = t.query(TemporalQueries.zoneId());
                    return ZonedDateTime.of(local, z != null ? z : zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                } catch (java.time.DateTimeException e) {
                    throw new RequestRejectedException(source, "is not a date-time in the pattern " + pattern + " (" + target + ")");
                }
            }
            default -> {
                return s;
            }
        }
    }
}
