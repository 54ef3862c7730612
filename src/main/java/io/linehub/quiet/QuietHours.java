package io.linehub.quiet;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily window of local times in which notifications are not sent, such as {@code 21:00-08:00} (from 21:00 until
 * 08:00 the next morning). Pure: no clock, no database; the caller gives the instant and the time zone.
 *
 * <p>The window holds from {@code start} (inclusive) to {@code end} (exclusive) local time; when {@code start} is
 * later than {@code end} it crosses midnight. A notification due inside it is held until the window's end, in the
 * recipient's zone (DST gaps and overlaps resolved by {@link ZonedDateTime#of}).
 *
 * @param start  local time the quiet hours begin
 * @param end    local time they end
 */
public record QuietHours(LocalTime start, LocalTime end) {

    private static final Pattern FORMAT = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** The time zone of each country the LINE channels serve, for recipients without a zone of their own. */
    private static final Map<String, ZoneId> COUNTRY_ZONES = Map.of(
            "TH", ZoneId.of("Asia/Bangkok"),
            "JP", ZoneId.of("Asia/Tokyo"),
            "TW", ZoneId.of("Asia/Taipei"));

    public QuietHours {
        if (start == null || end == null) {
            throw new IllegalArgumentException("quiet hours need a start and an end");
        }
        if (start.equals(end)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    /**
     * {@code HH:mm-HH:mm} (24-hour clock), e.g. {@code 21:00-08:00}; blank or {@code none}: no quiet hours.
     *
     * @throws IllegalArgumentException with a reason that does not repeat the value
     */
    public static Optional<QuietHours> parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("quiet hours must look like 21:00-08:00 (HH:mm-HH:mm, 24-hour clock)");
        }
        return Optional.of(new QuietHours(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))),
                LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))));
    }

    /** Whether the window crosses midnight (e.g. 21:00-08:00). */
    public boolean crossesMidnight() {
        return start.isAfter(end);
    }

    /** Whether a local time of day is inside the window. */
    public boolean contains(LocalTime t) {
        return crossesMidnight() ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * When a notification due at {@code due} may be sent: empty when {@code due} is outside the quiet hours in
     * {@code zone}, else the end of the window it falls in.
     */
    public Optional<Instant> holdUntil(Instant due, ZoneId zone) {
        ZonedDateTime local = due.atZone(zone);
        LocalTime t = local.toLocalTime();
        if (!contains(t)) {
            return Optional.empty();
        }
        LocalDate endDay = local.toLocalDate();
        if (crossesMidnight() && !t.isBefore(start)) {
            endDay = endDay.plusDays(1); // in the evening part: the window ends tomorrow morning
        }
        return Optional.of(ZonedDateTime.of(endDay, end, zone).toInstant());
    }

    /** The zone of a country the hub serves (TH, JP, TW), if it is one. */
    public static Optional<ZoneId> zoneOfCountry(String country) {
        return Optional.ofNullable(country == null ? null : COUNTRY_ZONES.get(country.toUpperCase(java.util.Locale.ROOT)));
    }

    /** A zone id such as {@code Asia/Bangkok}, or empty when it is blank or not a zone. */
    public static Optional<ZoneId> zone(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(id.trim()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** As configured: {@code 21:00-08:00}. */
    @Override
    public String toString() {
        return HH_MM.format(start) + "-" + HH_MM.format(end);
    }
}
