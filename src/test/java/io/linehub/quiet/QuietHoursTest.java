package io.linehub.quiet;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quiet hours: the window, across midnight, in the recipient's zone (Bangkok +7, Taipei +8, Tokyo +9). */
class QuietHoursTest {

    static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");
    static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final QuietHours NIGHT = QuietHours.parse("21:00-08:00").orElseThrow();

    static Instant at(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    @Test
    void parsesHoursAndMinutesAndRefusesAnythingElseWithoutRepeatingIt() {
        assertThat(NIGHT.start()).isEqualTo(LocalTime.of(21, 0));
        assertThat(NIGHT.end()).isEqualTo(LocalTime.of(8, 0));
        assertThat(NIGHT.crossesMidnight()).isTrue();
        assertThat(NIGHT).hasToString("21:00-08:00");
        assertThat(QuietHours.parse(" 12:30-13:45 ").orElseThrow().crossesMidnight()).isFalse();
        assertThat(QuietHours.parse("")).isEmpty();
        assertThat(QuietHours.parse(null)).isEmpty();
        assertThat(QuietHours.parse("none")).isEmpty();
        for (String bad : new String[] {"21-08", "25:00-08:00", "21:00–08:00", "21:00-08:60", "9:00-10:00", "21:00-21:00", "evil<script>"}) {
            assertThatThrownBy(() -> QuietHours.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad));
        }
    }

    @Test
    void acrossMidnightTheEveningIsHeldUntilTomorrowMorningAndTheNightUntilThisMorning() {
        // 22:30 in Bangkok: held until 08:00 the next day in Bangkok
        assertThat(NIGHT.holdUntil(at("2026-12-02T22:30:00+07:00"), BANGKOK)).contains(at("2026-12-03T08:00:00+07:00"));
        // exactly 21:00: inside (the start is inclusive)
        assertThat(NIGHT.holdUntil(at("2026-12-02T21:00:00+07:00"), BANGKOK)).contains(at("2026-12-03T08:00:00+07:00"));
        // 03:15 after midnight: held until 08:00 the same day
        assertThat(NIGHT.holdUntil(at("2026-12-03T03:15:00+07:00"), BANGKOK)).contains(at("2026-12-03T08:00:00+07:00"));
        // exactly 08:00 and the day: not held (the end is exclusive)
        assertThat(NIGHT.holdUntil(at("2026-12-03T08:00:00+07:00"), BANGKOK)).isEmpty();
        assertThat(NIGHT.holdUntil(at("2026-12-03T12:00:00+07:00"), BANGKOK)).isEmpty();
        assertThat(NIGHT.holdUntil(at("2026-12-03T20:59:59+07:00"), BANGKOK)).isEmpty();
        // the last day of the year rolls over into the next
        assertThat(NIGHT.holdUntil(at("2026-12-31T23:59:00+07:00"), BANGKOK)).contains(at("2027-01-01T08:00:00+07:00"));
    }

    @Test
    void oneInstantIsQuietInOneZoneAndNotInAnother() {
        // 13:30 UTC = 20:30 Bangkok (not quiet), 21:30 Taipei (quiet), 22:30 Tokyo (quiet)
        Instant t = at("2026-12-02T13:30:00Z");
        assertThat(NIGHT.holdUntil(t, BANGKOK)).isEmpty();
        assertThat(NIGHT.holdUntil(t, TAIPEI)).contains(at("2026-12-03T08:00:00+08:00"));
        assertThat(NIGHT.holdUntil(t, TOKYO)).contains(at("2026-12-03T08:00:00+09:00"));
        // 00:30 UTC = 07:30 Bangkok (quiet), 08:30 Taipei, 09:30 Tokyo (not)
        Instant morning = at("2026-12-03T00:30:00Z");
        assertThat(NIGHT.holdUntil(morning, BANGKOK)).contains(at("2026-12-03T01:00:00Z"));
        assertThat(NIGHT.holdUntil(morning, TAIPEI)).isEmpty();
        assertThat(NIGHT.holdUntil(morning, TOKYO)).isEmpty();
        // the same local hour ends at different instants: 08:00 Tokyo is an hour before 08:00 Taipei, two before Bangkok
        Instant late = at("2026-12-02T17:00:00Z");
        assertThat(NIGHT.holdUntil(late, TOKYO)).contains(at("2026-12-02T23:00:00Z"));
        assertThat(NIGHT.holdUntil(late, TAIPEI)).contains(at("2026-12-03T00:00:00Z"));
        assertThat(NIGHT.holdUntil(late, BANGKOK)).contains(at("2026-12-03T01:00:00Z"));
    }

    @Test
    void aWindowWithinOneDay() {
        QuietHours lunch = QuietHours.parse("12:00-13:30").orElseThrow();
        assertThat(lunch.holdUntil(at("2026-12-02T12:10:00+09:00"), TOKYO)).contains(at("2026-12-02T13:30:00+09:00"));
        assertThat(lunch.holdUntil(at("2026-12-02T11:59:00+09:00"), TOKYO)).isEmpty();
        assertThat(lunch.holdUntil(at("2026-12-02T13:30:00+09:00"), TOKYO)).isEmpty();
        assertThat(lunch.holdUntil(at("2026-12-02T23:00:00+09:00"), TOKYO)).isEmpty();
    }

    @Test
    void aZoneWithDaylightSavingEndsAtTheLocalTimeOfThatDay() {
        ZoneId ny = ZoneId.of("America/New_York");
        // the night DST ends (2026-11-01): 08:00 local is then UTC-5
        assertThat(NIGHT.holdUntil(at("2026-10-31T23:00:00-04:00"), ny)).contains(at("2026-11-01T08:00:00-05:00"));
    }

    @Test
    void countryZonesAndZoneIds() {
        assertThat(QuietHours.zoneOfCountry("TH")).contains(BANGKOK);
        assertThat(QuietHours.zoneOfCountry("jp")).contains(TOKYO);
        assertThat(QuietHours.zoneOfCountry("TW")).contains(TAIPEI);
        assertThat(QuietHours.zoneOfCountry("US")).isEmpty();
        assertThat(QuietHours.zoneOfCountry(null)).isEmpty();
        assertThat(QuietHours.zone("Asia/Taipei")).contains(TAIPEI);
        assertThat(QuietHours.zone("Mars/Olympus")).isEmpty();
        assertThat(QuietHours.zone(" ")).isEmpty();
    }
}
