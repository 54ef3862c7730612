package io.linehub.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The rate limit of one LINE endpoint, counted per channel (README §2): at most {@code requests} in any {@code window}.
 * One-second windows are fixed (epoch seconds of the configured clock); longer windows slide (a request is
 * admitted when fewer than {@code requests} were admitted in the {@code window} before it).
 */
public record EndpointRateLimit(int requests, Duration window) {

    public EndpointRateLimit {
        Objects.requireNonNull(window, "window");
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }

    public static EndpointRateLimit perSecond(int requests) {
        return new EndpointRateLimit(requests, Duration.ofSeconds(1));
    }

    public static EndpointRateLimit perHour(int requests) {
        return new EndpointRateLimit(requests, Duration.ofHours(1));
    }

    /** No limit at all. */
    public static EndpointRateLimit unlimited() {
        return new EndpointRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1));
    }

    boolean fixedSecond() {
        return window.equals(Duration.ofSeconds(1));
    }
}
