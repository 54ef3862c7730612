package io.linehub.outbox;

import java.time.Instant;

/**
 * When a new notification may be sent and until when, as intake worked it out (issue 15).
 *
 * @param sendAt     the {@code sendAt} the request asked for, or null
 * @param notBefore  not sent before this instant ({@code sendAt}, or the end of the quiet hours it fell in); null: at once.
 *                   A notBefore in the future stores the notification SCHEDULED with {@code next_attempt_at} = notBefore,
 *                   and its retry window starts there.
 * @param expiresAt  the {@code expiresAt} the request asked for (not sent after it: EXPIRED), or null; caps the retry window
 * @param reason     why it waits (the SCHEDULED history row's reason, e.g. "held for quiet hours 21:00-08:00 Asia/Bangkok"), or null
 */
public record SendTiming(Instant sendAt, Instant notBefore, Instant expiresAt, String reason) {

    /** At once, within the retry window. */
    public static final SendTiming NOW = new SendTiming(null, null, null, null);

    /** Whether the notification waits at {@code now}: stored SCHEDULED. */
    boolean waitsAt(Instant now) {
        return notBefore != null && notBefore.isAfter(now);
    }
}
