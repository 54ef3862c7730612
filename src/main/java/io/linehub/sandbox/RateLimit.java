package io.linehub.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-channel, per-endpoint request budget (README §2): at most {@code requests} in any {@code window}.
 * One-second windows are fixed (epoch seconds of the configured clock); longer windows slide (a request is
 * admitted when fewer than {@code requests} were admitted in the {@code window} before it).
 */
public record RateLimit(int requests, Duration window) {

    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }

    public static RateLimit perSecond(int requests) {
        return new RateLimit(requests, Duration.ofSeconds(1));
    }

    public static RateLimit perHour(int requests) {
        return new RateLimit(requests, Duration.ofHours(1));
    }

    /** No limit at all. */
    public static RateLimit unlimited() {
        return new RateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1));
    }

    boolean fixedSecond() {
        return window.equals(Duration.ofSeconds(1));
    }
}
