package io.linehub.intake;

import io.linehub.line.LineChannel;
import io.linehub.line.LineChannels;
import io.linehub.outbox.SendTiming;
import io.linehub.quiet.QuietHours;
import io.linehub.template.NotificationTemplate;
import io.linehub.template.TemplateCatalog;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The step of {@code direct:intake} after the channel policy: when the notification may be sent and until when
 * (issue 15). Not a policy decision (the policy chooses the LINE operation only): {@code sendAt} (not before it),
 * the quiet hours of the notification's type ({@code quietHours:} in its template), else of its channel
 * ({@code HUB_QUIET_HOURS} for the default channel), evaluated in the customer's time zone (the lookup's
 * {@code time_zone}), else the channel country's; a type marked {@code urgent: true} ignores quiet hours.
 * {@code expiresAt}: not sent after it. The outcome is a {@link SendTiming} the outbox stores (SCHEDULED with
 * {@code next_attempt_at} = the time, when it is ahead), so a restart keeps every schedule and nothing is recomputed.
 */
public class SendSchedule {

    /** How far ahead a sendAt may be. */
    static final Duration MAX_AHEAD = Duration.ofDays(365);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final TemplateCatalog templates;
    private final LineChannels channels;
    private final Map<String, QuietHours> channelQuietHours;
    private final Clock clock;

    /**
     * @param channelQuietHours the quiet hours of each channel that has them, by channel name
     */
    public SendSchedule(TemplateCatalog templates, LineChannels channels, Map<String, QuietHours> channelQuietHours, Clock clock) {
        this.templates = templates;
        this.channels = channels;
        this.channelQuietHours = Map.copyOf(channelQuietHours);
        this.clock = clock;
    }

    public void plan(Exchange exchange) throws InvalidPayloadException {
        planTiming(exchange.getMessage().getMandatoryBody(PendingNotification.class));
    }

    /** {@link #plan(Exchange)} without an exchange (a file's chunk, {@link IntakeChunk}). */
    void planTiming(PendingNotification n) {
        n.timing = timing(n, clock.instant());
    }

    SendTiming timing(PendingNotification n, Instant now) {
        if (n.sendAt != null && n.sendAt.isAfter(now.plus(MAX_AHEAD))) {
            throw new RequestRejectedException("sendAt", "is more than " + MAX_AHEAD.toDays() + " days ahead");
        }
        if (n.expiresAt != null) {
            if (!n.expiresAt.isAfter(now)) {
                throw new RequestRejectedException("expiresAt", "is in the past: a notification must be able to be sent before it expires");
            }
            if (n.sendAt != null && !n.expiresAt.isAfter(n.sendAt)) {
                throw new RequestRejectedException("expiresAt", "must be later than sendAt");
            }
        }
        boolean later = n.sendAt != null && n.sendAt.isAfter(now);
        Instant due = later ? n.sendAt : now;
        Optional<NotificationTemplate> template = templates.find(n.type);
        boolean urgent = template.map(NotificationTemplate::urgent).orElse(false);
        Optional<QuietHours> typeQuiet = template.flatMap(NotificationTemplate::quietHours);
        Optional<QuietHours> quiet = urgent ? Optional.empty() : typeQuiet.or(() -> Optional.ofNullable(channelQuietHours.get(n.lineChannel)));
        if (quiet.isPresent()) {
            ZoneId zone = zoneOf(n);
            Optional<Instant> hold = quiet.get().holdUntil(due, zone);
            if (hold.isPresent()) {
                String whose = typeQuiet.isPresent() ? "type " + n.type : "channel " + n.lineChannel;
                String reason = "held for quiet hours " + quiet.get() + " " + zone.getId() + " (" + whose + ")"
                        + (later ? " (sendAt " + n.sendAt + " falls in them)" : "")
                        + " until " + LOCAL.format(hold.get().atZone(zone));
                return new SendTiming(n.sendAt, hold.get(), n.expiresAt, reason);
            }
        }
        if (later) {
            return new SendTiming(n.sendAt, n.sendAt, n.expiresAt, "scheduled for sendAt " + n.sendAt);
        }
        return new SendTiming(n.sendAt, null, n.expiresAt, null);
    }

    /** The customer's time zone (customer lookup's time_zone), else the channel country's, else the number's country's, else UTC. */
    ZoneId zoneOf(PendingNotification n) {
        return QuietHours.zone(n.timeZone)
                .or(() -> channels.find(n.lineChannel).map(LineChannel::country).flatMap(QuietHours::zoneOfCountry))
                .or(() -> QuietHours.zoneOfCountry(n.recipientCountry))
                .orElse(ZoneOffset.UTC);
    }
}
