package io.linehub.outbox;

import java.time.Duration;

/**
 * How the outbox paces and resolves deliveries.
 *
 * @param lease              how long a claim is held before a stopped dispatcher's rows come back
 * @param maxAttempts        attempts before a retryable failure becomes FAILED
 * @param retryWindow        a notification not sent this long after it was accepted is EXPIRED
 * @param hourlyBudget       broadcasts (and narrowcasts) per channel per hour (LINE: 60)
 * @param packingWindow      pushes wait this long for identical ones to share a multicast (zero: no packing)
 * @param uncertainAfter     how long an UNCERTAIN LON waits for LINE's delivery webhook before the policy applies
 * @param uncertainPolicy    what then: RESEND (accept a possible duplicate) or GIVE_UP (UNDELIVERED, never resent)
 * @param undeliveredAfter   a SENT LON without a delivery webhook after this long is UNDELIVERED (LINE: 24 h)
 */
public record OutboxSettings(Duration lease, int maxAttempts, Duration retryWindow, int hourlyBudget, Duration packingWindow,
                             Duration uncertainAfter, UncertainPolicy uncertainPolicy, Duration undeliveredAfter) {

    public enum UncertainPolicy { RESEND, GIVE_UP }

    public static OutboxSettings defaults() {
        return new OutboxSettings(Duration.ofSeconds(60), 10, Duration.ofHours(23), 60, Duration.ofMillis(200),
                Duration.ofMinutes(30), UncertainPolicy.GIVE_UP, Duration.ofHours(24));
    }

    /** The defaults with this lease and number of attempts, and no packing (each push goes out on its own). */
    public static OutboxSettings unpacked(Duration lease, int maxAttempts) {
        OutboxSettings d = defaults();
        return new OutboxSettings(lease, maxAttempts, d.retryWindow(), d.hourlyBudget(), Duration.ZERO, d.uncertainAfter(),
                d.uncertainPolicy(), d.undeliveredAfter());
    }
}
