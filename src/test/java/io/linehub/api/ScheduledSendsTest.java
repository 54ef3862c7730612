package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled sends and quiet hours through the API (issue 15): sendAt in the future (SCHEDULED, not sent before it),
 * in the past or absent (at once), invalid (400 naming sendAt); the default channel's quiet hours 21:00-08:00 in the
 * customer's zone (Bangkok, Taipei, Tokyo), a type's own quiet hours, an urgent type; expiresAt (EXPIRED); the retry
 * window from sendAt. Instants are chosen relative to now (or a fixed day ahead), so the outcome does not depend on
 * the hour the test runs.
 */
class ScheduledSendsTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path templates;
    static TestHub hub;

    static final String DATA = "\"data\":{\"orderNumber\":\"TH-2026-000123\",\"shippedDate\":\"2026-11-27\"}";

    @BeforeAll
    static void start() throws Exception {
        // the shipped templates, plus two copies of shipping_complete: one urgent, one with its own quiet hours
        try (Stream<Path> files = Files.list(Path.of("config/templates"))) {
            for (Path f : files.toList()) {
                Files.copy(f, templates.resolve(f.getFileName()));
            }
        }
        String shipping = Files.readString(templates.resolve("shipping_complete.yaml"));
        Files.writeString(templates.resolve("urgent_shipping.yaml"),
                shipping.replace("type: shipping_complete", "type: urgent_shipping\nurgent: true"));
        Files.writeString(templates.resolve("lunch_shipping.yaml"),
                shipping.replace("type: shipping_complete", "type: lunch_shipping\nquietHours: \"12:00-13:00\""));
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.quiet-hours", "21:00-08:00",
                "hub.templates.dir", templates.toString(), "hub.templates.reload-seconds", "0",
                "hub.delivery.housekeeping-interval-ms", "300"));
        // customers whose local time is now noon (never quiet) and 23:00 (quiet), whatever the hour the test runs
        customer("C-NOON", offsetFor(12));
        customer("C-NIGHT", offsetFor(23));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    /** The UTC offset at which the local time is now about {@code hour}:xx. */
    static String offsetFor(int hour) {
        int utcHour = OffsetDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utcHour + 12, 24) - 12; // -12 … +11
        return ZoneOffset.ofHours(offset).getId().replace("Z", "+00:00");
    }

    static void customer(String id, String zone) throws Exception {
        try (Connection c = hub.db().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO customers (customer_id, display_name,"
                + " phone, country_code, language, time_zone, line_user_id, is_friend) VALUES (?, 'Test', '081-234-5678', 'TH', 'th', ?, NULL, FALSE)")) {
            ps.setString(1, id);
            ps.setString(2, zone);
            ps.executeUpdate();
        }
    }

    static String body(String type, String customer, String extra) {
        return "{\"type\":\"" + type + "\",\"to\":{\"customerId\":\"" + customer + "\"}," + DATA + extra + "}";
    }

    static JsonNode accepted(HttpResponse<String> r, String status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode b = Json.read(r.body());
        assertThat(b.path("status").asText()).as(r.body()).isEqualTo(status);
        return b;
    }

    static String post(String body, String status) throws Exception {
        return accepted(hub.post("/api/notifications", body), status).path("id").asText();
    }

    static Instant instant(JsonNode n, String field) {
        return Instant.parse(n.path(field).asText());
    }

    static List<String> reasons(JsonNode n) {
        return n.path("history").findValuesAsText("reason");
    }

    /** A fixed instant ahead: tomorrow at 13:30 UTC = 20:30 Bangkok (not quiet), 21:30 Taipei and 22:30 Tokyo (quiet). */
    static Instant tomorrowAt1330Utc() {
        return LocalDate.now(ZoneOffset.UTC).plusDays(2).atTime(13, 30).toInstant(ZoneOffset.UTC);
    }

    @Test
    void aFutureSendAtIsScheduledAndSentAtItsTimeNotBefore() throws Exception {
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String id = post(body("shipping_complete", "C-NOON", ",\"sendAt\":\"" + sendAt + "\""), "SCHEDULED");

        JsonNode n = hub.notification(id);
        assertThat(n.path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(instant(n, "sendAt")).isEqualTo(sendAt);
        assertThat(instant(n, "scheduledFor")).isEqualTo(sendAt);
        assertThat(reasons(n).get(0)).startsWith("scheduled for sendAt " + sendAt);

        await().atMost(Duration.ofSeconds(15)).until(() -> List.of("SENT", "DELIVERED").contains(hub.status(id)));
        JsonNode sent = hub.notification(id);
        assertThat(instant(sent, "sentAt")).isAfterOrEqualTo(sendAt);
        assertThat(Instant.parse(sent.at("/attempts/0/startedAt").asText())).isAfterOrEqualTo(sendAt);
        assertThat(sent.path("history").findValuesAsText("status")).startsWith("SCHEDULED", "SENDING", "SENT");
    }

    @Test
    void aSendAtInThePastOrNoneIsSentAtOnce() throws Exception {
        String past = post(body("shipping_complete", "C-NOON", ",\"sendAt\":\"2020-01-01T09:00:00+07:00\""), "QUEUED");
        String none = post(body("shipping_complete", "C-NOON", ""), "QUEUED");
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of("SENT", "DELIVERED").contains(hub.status(past))
                && List.of("SENT", "DELIVERED").contains(hub.status(none)));
        JsonNode n = hub.notification(past);
        assertThat(instant(n, "sendAt")).isEqualTo(Instant.parse("2020-01-01T02:00:00Z"));
        assertThat(n.has("scheduledFor")).isFalse();
        assertThat(hub.notification(none).has("sendAt")).isFalse();
    }

    @Test
    void theRetryWindowStartsAtSendAtSoASendAtMoreThanADayAheadIsFine() throws Exception {
        Instant sendAt = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        String id = post(body("urgent_shipping", "C-NOON", ",\"sendAt\":\"" + sendAt + "\""), "SCHEDULED");
        JsonNode n = hub.notification(id);
        assertThat(instant(n, "scheduledFor")).isEqualTo(sendAt);
        assertThat(instant(n, "expiresAt")).isEqualTo(sendAt.plus(Duration.ofHours(23)));
        // an earlier expiresAt caps it
        Instant expiresAt = sendAt.plus(Duration.ofHours(2));
        String capped = post(body("urgent_shipping", "C-NOON", ",\"sendAt\":\"" + sendAt + "\",\"expiresAt\":\"" + expiresAt + "\""), "SCHEDULED");
        assertThat(instant(hub.notification(capped), "expiresAt")).isEqualTo(expiresAt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no offset                   | ,"sendAt":"2031-05-04T09:00:00"                                           | sendAt    | 2031-05-04T09:00:00
            not a date                  | ,"sendAt":"next tuesday at nine"                                          | sendAt    | next tuesday
            a number                    | ,"sendAt":1770000000                                                      | sendAt    | 1770000000
            impossible date             | ,"sendAt":"2031-02-30T09:00:00+07:00"                                     | sendAt    | 2031-02-30
            more than a year ahead      | ,"sendAt":"2999-01-01T09:00:00+07:00"                                     | sendAt    | 2999-01-01
            expiresAt not a date        | ,"expiresAt":"soon"                                                       | expiresAt | soon
            expiresAt in the past       | ,"expiresAt":"2020-01-01T00:00:00Z"                                       | expiresAt | 2020-01-01
            expiresAt before sendAt     | ,"sendAt":"%dT09:00:00Z","expiresAt":"%dT08:00:00Z"                        | expiresAt | T08:00
            """)
    void anInvalidSendAtOrExpiresAtIsRefusedNamingTheFieldWithoutRepeatingTheValue(String what, String extra, String field, String value)
            throws Exception {
        long before = hub.count("SELECT COUNT(*) FROM notification");
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString(); // %d: a day within the year ahead
        HttpResponse<String> r = hub.post("/api/notifications", body("shipping_complete", "C-NOON", extra.replace("%d", day)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Json.read(r.body());
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("reason").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain(value);
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(before);
    }

    @Test
    void quietHoursAreEvaluatedInTheCustomersZoneBangkokTaipeiTokyo() throws Exception {
        Instant sendAt = tomorrowAt1330Utc();
        String extra = ",\"sendAt\":\"" + sendAt + "\"";
        // Bangkok (C-1001): 20:30, not quiet: scheduled for sendAt
        JsonNode bangkok = hub.notification(post(body("shipping_complete", "C-1001", extra), "SCHEDULED"));
        assertThat(instant(bangkok, "scheduledFor")).isEqualTo(sendAt);
        // Taipei (C-3001): 21:30, quiet: held until 08:00 Taipei the next day (00:00 UTC)
        JsonNode taipei = hub.notification(post(body("shipping_complete", "C-3001", extra), "SCHEDULED"));
        Instant nextDay = sendAt.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        assertThat(instant(taipei, "sendAt")).isEqualTo(sendAt);
        assertThat(instant(taipei, "scheduledFor")).isEqualTo(nextDay);
        assertThat(reasons(taipei).get(0)).contains("held for quiet hours 21:00-08:00 Asia/Taipei").contains("+08:00");
        // Tokyo (C-2001): 22:30, quiet: held until 08:00 Tokyo (23:00 UTC the same day)
        JsonNode tokyo = hub.notification(post(body("shipping_complete", "C-2001", extra), "SCHEDULED"));
        assertThat(instant(tokyo, "scheduledFor")).isEqualTo(nextDay.minus(Duration.ofHours(1)));
        assertThat(reasons(tokyo).get(0)).contains("held for quiet hours 21:00-08:00 Asia/Tokyo");
        // after midnight in Bangkok (02:00 = 19:00 UTC): held until 08:00 Bangkok (01:00 UTC)
        Instant bangkokNight = sendAt.plus(Duration.ofMinutes(330));
        JsonNode night = hub.notification(post(body("shipping_complete", "C-1001", ",\"sendAt\":\"" + bangkokNight + "\""), "SCHEDULED"));
        assertThat(instant(night, "scheduledFor")).isEqualTo(nextDay.plus(Duration.ofHours(1)));
        assertThat(reasons(night).get(0)).contains("Asia/Bangkok");
        // a number without a customer: the channel's country (JP, the default channel) gives the zone
        JsonNode byPhone = hub.notification(post("{\"type\":\"shipping_complete\",\"to\":{\"phone\":\"+66812345678\"}," + DATA + extra + "}",
                "SCHEDULED"));
        assertThat(instant(byPhone, "scheduledFor")).isEqualTo(nextDay.minus(Duration.ofHours(1)));
        assertThat(reasons(byPhone).get(0)).contains("Asia/Tokyo");
    }

    @Test
    void aNotificationAcceptedDuringQuietHoursIsHeldUntilTheyEnd() throws Exception {
        String id = post(body("shipping_complete", "C-NIGHT", ""), "SCHEDULED");
        JsonNode n = hub.notification(id);
        assertThat(n.has("sendAt")).isFalse();
        // 23:xx local now: held until 08:00 local tomorrow, 8 to 10 hours from now
        Duration held = Duration.between(Instant.now(), instant(n, "scheduledFor"));
        assertThat(held).isBetween(Duration.ofHours(8), Duration.ofHours(10));
        assertThat(reasons(n).get(0)).contains("held for quiet hours 21:00-08:00").contains("channel default");
        assertThat(instant(n, "expiresAt")).isEqualTo(instant(n, "scheduledFor").plus(Duration.ofHours(23)));
    }

    @Test
    void anUrgentTypeIgnoresQuietHoursAndATypesOwnQuietHoursReplaceTheChannels() throws Exception {
        // urgent: sent at once even at 23:00 local
        String urgent = post(body("urgent_shipping", "C-NIGHT", ""), "QUEUED");
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of("SENT", "DELIVERED").contains(hub.status(urgent)));
        // lunch_shipping's own quiet hours (12:00-13:00) replace the channel's: 23:00 local goes at once ...
        String lunchAtNight = post(body("lunch_shipping", "C-NIGHT", ""), "QUEUED");
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of("SENT", "DELIVERED").contains(hub.status(lunchAtNight)));
        // ... and 12:30 Bangkok is held until 13:00 Bangkok
        Instant lunch = LocalDate.now(ZoneOffset.UTC).plusDays(2).atTime(5, 30).toInstant(ZoneOffset.UTC);
        JsonNode held = hub.notification(post(body("lunch_shipping", "C-1001", ",\"sendAt\":\"" + lunch + "\""), "SCHEDULED"));
        assertThat(instant(held, "scheduledFor")).isEqualTo(lunch.plus(Duration.ofMinutes(30)));
        assertThat(reasons(held).get(0)).contains("held for quiet hours 12:00-13:00 Asia/Bangkok (type lunch_shipping)");
        // urgent still honours a sendAt
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        assertThat(instant(hub.notification(post(body("urgent_shipping", "C-NIGHT", ",\"sendAt\":\"" + later + "\""), "SCHEDULED")),
                "scheduledFor")).isEqualTo(later);
    }

    @Test
    void aNotificationNotSentBeforeItsExpiresAtIsExpiredAndNeverSent() throws Exception {
        // held for the night, but it expires in two seconds
        Instant expiresAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String id = post(body("shipping_complete", "C-NIGHT", ",\"expiresAt\":\"" + expiresAt + "\""), "SCHEDULED");
        await().atMost(Duration.ofSeconds(15)).until(() -> hub.status(id).equals("EXPIRED"));
        JsonNode n = hub.notification(id);
        assertThat(n.path("attempts")).isEmpty();
        assertThat(instant(n, "expiresAt")).isEqualTo(expiresAt);
        assertThat(n.path("history").findValuesAsText("status")).containsExactly("SCHEDULED", "EXPIRED");
        assertThat(reasons(n).get(1)).isEqualTo("not sent before its expiresAt " + expiresAt);
        assertThat(hub.sandbox().requests()).noneMatch(r -> id.equals(r.headers().get("X-Line-Delivery-Tag")));
    }

    @Test
    void batchItemsTakeSendAtToo() throws Exception {
        Instant sendAt = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> r = hub.post("/api/notifications/batch", "[" + body("shipping_complete", "C-NOON", ",\"sendAt\":\"" + sendAt + "\"")
                + "," + body("shipping_complete", "C-NOON", ",\"sendAt\":\"tomorrow\"") + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        JsonNode items = Json.read(r.body());
        assertThat(items.at("/0/status").asText()).isEqualTo("SCHEDULED");
        assertThat(instant(hub.notification(items.at("/0/id").asText()), "scheduledFor")).isEqualTo(sendAt);
        assertThat(items.at("/1/error/field").asText()).isEqualTo("sendAt");
        assertThat(r.body()).doesNotContain("tomorrow");
    }
}
