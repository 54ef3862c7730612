package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Formats validated field values for a language. Hand-written tables (not the JDK's locale data) so the
 * output is stable across JDK versions and always fits LINE's limits:
 *
 * <table>
 * <tr><th></th><th>date</th><th>datetime</th><th>datetime (emphasised)</th><th>money</th></tr>
 * <tr><td>th</td><td>1 ธ.ค. 2569 (BE) / 1 ธ.ค. 2026</td><td>1 ธ.ค. 2569 09:30 น.</td><td>1/12 09:30 น.</td><td>฿1,200.00 / 12,000 JPY</td></tr>
 * <tr><td>en</td><td>1 Dec 2026</td><td>1 Dec 2026, 09:30</td><td>1 Dec, 09:30</td><td>1,200.00 THB</td></tr>
 * <tr><td>ja</td><td>2026年12月1日(火)</td><td>2026年12月1日(火) 9:30</td><td>12/1(火) 9:30</td><td>12,000円 / 1,200.00 THB</td></tr>
 * <tr><td>zh-TW</td><td>2026年12月1日(二)</td><td>2026年12月1日(二) 09:30</td><td>12/1(二) 09:30</td><td>NT$1,200 / 1,200.00 THB</td></tr>
 * </table>
 */
final class ValueFormatter {

    private static final String[] TH_MONTHS = {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."};
    private static final String[] EN_MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] JA_WEEKDAYS = {"月", "火", "水", "木", "金", "土", "日"};
    private static final String[] ZH_WEEKDAYS = {"一", "二", "三", "四", "五", "六", "日"};
    /** Buddhist era = Common era + 543. */
    static final int BUDDHIST_OFFSET = 543;

    private ValueFormatter() {
    }

    static String format(TemplateField field, JsonNode value, RenderOptions o, boolean emphasized) {
        return switch (field.type()) {
            case TEXT, ID, URL -> value.isTextual() ? value.asText() : value.toString();
            case DATE -> date(LocalDate.parse(value.asText()), o);
            case DATETIME -> {
                OffsetDateTime t = OffsetDateTime.parse(value.asText());
                String shown = dateTime(shownTime(field, t, o), o, emphasized);
                // the emphasised value has no room for the zone (LINE: 15 characters); the Flex label carries it
                yield emphasized ? shown : shown + zoneNote(field, t, o);
            }
            case NUMBER -> number(new BigDecimal(value.asText().trim()));
            case MONEY -> money(new BigDecimal(value.get("amount").asText().trim()), value.get("currency").asText(), o.language());
        };
    }

    /**
     * The wall-clock time to show: a field declared {@code instant: true} is converted to the customer's zone; any
     * other datetime (a departure, an appointment, a pick-up) is shown in the offset it was given, the time at the
     * place where it happens.
     */
    static ZonedDateTime shownTime(TemplateField field, OffsetDateTime t, RenderOptions o) {
        return field.instant() ? t.atZoneSameInstant(o.zone()) : t.toZonedDateTime();
    }

    /**
     * {@code " (UTC+7)"} when a venue-local time is in another offset than the customer's zone at that moment, so a
     * customer in Tokyo reading a Bangkok departure knows it is Bangkok's 08:15; empty otherwise.
     */
    static String zoneNote(TemplateField field, OffsetDateTime t, RenderOptions o) {
        if (field.instant() || o.zone().getRules().getOffset(t.toInstant()).equals(t.getOffset())) {
            return "";
        }
        return " (" + utcOffset(t.getOffset()) + ")";
    }

    /** {@code UTC+7}, {@code UTC+5:30}, {@code UTC-3}, {@code UTC}. */
    static String utcOffset(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        if (total == 0) {
            return "UTC";
        }
        int abs = Math.abs(total);
        int h = abs / 3600;
        int m = (abs % 3600) / 60;
        return "UTC" + (total < 0 ? "-" : "+") + h + (m == 0 ? "" : String.format(Locale.ROOT, ":%02d", m));
    }

    static String date(LocalDate d, RenderOptions o) {
        int m = d.getMonthValue();
        return switch (o.language()) {
            case "th" -> d.getDayOfMonth() + " " + TH_MONTHS[m - 1] + " " + thaiYear(d.getYear(), o);
            case "en" -> d.getDayOfMonth() + " " + EN_MONTHS[m - 1] + " " + d.getYear();
            case "ja" -> (o.japaneseEra() ? japaneseYear(d) : d.getYear() + "年") + m + "月" + d.getDayOfMonth() + "日("
                    + weekday(JA_WEEKDAYS, d.getDayOfWeek()) + ")";
            case "zh-TW" -> (o.rocYear() ? rocYear(d.getYear()) : String.valueOf(d.getYear())) + "年" + m + "月" + d.getDayOfMonth() + "日("
                    + weekday(ZH_WEEKDAYS, d.getDayOfWeek()) + ")";
            default -> throw new IllegalArgumentException(o.language());
        };
    }

    static String dateTime(ZonedDateTime t, RenderOptions o, boolean shortForm) {
        LocalDate d = t.toLocalDate();
        String hhmm = String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute());
        int m = d.getMonthValue();
        if (shortForm) {
            // Without the year so that the emphasised item fits LINE's 15 characters.
            return switch (o.language()) {
                // numeric day/month so that "น." fits in 15 characters ("24 มิ.ย. 19:30 น." would be 17)
                case "th" -> d.getDayOfMonth() + "/" + m + " " + hhmm + " น.";
                case "en" -> d.getDayOfMonth() + " " + EN_MONTHS[m - 1] + ", " + hhmm;
                case "ja" -> m + "/" + d.getDayOfMonth() + "(" + weekday(JA_WEEKDAYS, d.getDayOfWeek()) + ") " + t.getHour() + ":" + hhmm.substring(3);
                case "zh-TW" -> m + "/" + d.getDayOfMonth() + "(" + weekday(ZH_WEEKDAYS, d.getDayOfWeek()) + ") " + hhmm;
                default -> throw new IllegalArgumentException(o.language());
            };
        }
        return switch (o.language()) {
            case "th" -> date(d, o) + " " + hhmm + " น.";
            case "en" -> date(d, o) + ", " + hhmm;
            case "ja" -> date(d, o) + " " + t.getHour() + ":" + hhmm.substring(3);
            case "zh-TW" -> date(d, o) + " " + hhmm;
            default -> throw new IllegalArgumentException(o.language());
        };
    }

    /** Japanese eras since 1926 (hand-written, not the JDK's calendar data): name and first day. */
    private static final String[] JA_ERAS = {"令和", "平成", "昭和"};
    private static final LocalDate[] JA_ERA_START = {LocalDate.of(2019, 5, 1), LocalDate.of(1989, 1, 8), LocalDate.of(1926, 12, 25)};

    /** {@code 令和8年}, {@code 令和元年} for an era's first year; the Gregorian year before 1926-12-25. */
    static String japaneseYear(LocalDate d) {
        for (int i = 0; i < JA_ERAS.length; i++) {
            if (!d.isBefore(JA_ERA_START[i])) {
                int y = d.getYear() - JA_ERA_START[i].getYear() + 1;
                return JA_ERAS[i] + (y == 1 ? "元" : String.valueOf(y)) + "年";
            }
        }
        return d.getYear() + "年";
    }

    /** Republic of China (Minguo) year: 2026 → 民國115 (from 1912). */
    static String rocYear(int year) {
        return year >= 1912 ? "民國" + (year - 1911) : String.valueOf(year);
    }

    private static int thaiYear(int year, RenderOptions o) {
        return o.buddhistEra() ? year + BUDDHIST_OFFSET : year;
    }

    private static String weekday(String[] names, DayOfWeek d) {
        return names[d.getValue() - 1];
    }

    static String number(BigDecimal n) {
        DecimalFormat f = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setMaximumFractionDigits(Math.max(0, n.scale()));
        return f.format(n);
    }

    /** Digits shown after the decimal point: THB 2, JPY 0, TWD 0 unless the amount has cents (Taiwan prices are whole dollars). */
    static int displayFractionDigits(BigDecimal amount, String currency) {
        int iso = java.util.Currency.getInstance(currency).getDefaultFractionDigits();
        if (currency.equals("TWD") && amount.stripTrailingZeros().scale() <= 0) {
            return 0;
        }
        return Math.max(0, iso);
    }

    static String money(BigDecimal amount, String currency, String language) {
        int digits = displayFractionDigits(amount, currency);
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        String n = f.format(amount);
        if (language.equals("th") && currency.equals("THB")) {
            return "฿" + n;
        }
        if (language.equals("ja") && currency.equals("JPY")) {
            return n + "円";
        }
        if (language.equals("zh-TW") && currency.equals("TWD")) {
            return "NT$" + n;
        }
        return n + " " + currency;
    }
}
