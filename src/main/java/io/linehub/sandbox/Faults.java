package io.linehub.sandbox;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Injected faults (immutable; set in {@link SandboxConfig.Builder#faults} or at run time with
 * {@link LineSandbox#faults(Faults)} to start and end an outage).
 *
 * <p>Per request to an affected endpoint, one draw decides (shares add up to at most 1):
 * <ul>
 *   <li>{@code resetShare}: the connection is closed without an answer (RST) before the request takes effect;</li>
 *   <li>{@code timeoutShare}: no answer; the connection is held for {@code timeoutHold} (or until the client
 *       gives up) and then closed; before the request takes effect;</li>
 *   <li>{@code serverErrorShare}: 500 {@code {"message":"Internal server error"}} before the request takes effect;</li>
 *   <li>{@code serverErrorAfterEffectShare}: the request takes effect (message sent, retry key consumed, usage
 *       counted, delivery webhook scheduled) but the answer is 500 — only for requests that would have
 *       succeeded;</li>
 *   <li>{@code timeoutAfterEffectShare}: takes effect, then no answer as for timeouts.</li>
 * </ul>
 * Latency (applied before a request is handled, to every request to an affected endpoint): fixed + uniform
 * jitter in [0, jitter), or, when percentiles are given, drawn by linear interpolation between the given
 * percentile points (e.g. p50 = 20 ms, p99 = 300 ms; below the first point its value, above the last its value).
 * Faults are drawn after the token and rate-limit checks, so faulted requests count against rate limits.
 *
 * @param endpoints endpoints affected; empty = all LINE endpoints
 */
public record Faults(Duration latencyFixed, Duration latencyJitter, Map<Double, Duration> latencyPercentiles,
                     double resetShare, double timeoutShare, double serverErrorShare,
                     double serverErrorAfterEffectShare, double timeoutAfterEffectShare, Duration timeoutHold,
                     Set<ApiPath> endpoints) {

    /** No latency, no faults. */
    public static final Faults NONE = builder().build();

    /** What happens to one request. */
    enum Fault { NONE, RESET, TIMEOUT, SERVER_ERROR, SERVER_ERROR_AFTER_EFFECT, TIMEOUT_AFTER_EFFECT }

    public Faults {
        Objects.requireNonNull(latencyFixed, "latencyFixed");
        Objects.requireNonNull(latencyJitter, "latencyJitter");
        Objects.requireNonNull(timeoutHold, "timeoutHold");
        latencyPercentiles = Map.copyOf(new TreeMap<>(Objects.requireNonNull(latencyPercentiles, "latencyPercentiles")));
        endpoints = endpoints.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(endpoints));
        double sum = 0;
        for (double s : new double[] {resetShare, timeoutShare, serverErrorShare, serverErrorAfterEffectShare, timeoutAfterEffectShare}) {
            if (!(s >= 0.0 && s <= 1.0)) {
                throw new IllegalArgumentException("fault shares must be within 0.0..1.0: " + s);
            }
            sum += s;
        }
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fault shares add up to more than 1.0: " + sum);
        }
        for (Map.Entry<Double, Duration> p : latencyPercentiles.entrySet()) {
            if (p.getKey() < 0 || p.getKey() > 100 || p.getValue().isNegative()) {
                throw new IllegalArgumentException("latency percentile must be 0..100 with a non-negative duration: " + p);
            }
        }
        if (latencyFixed.isNegative() || latencyJitter.isNegative() || timeoutHold.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    boolean affects(ApiPath endpoint) {
        return endpoints.isEmpty() || endpoints.contains(endpoint);
    }

    Fault draw(RandomGenerator random) {
        double r = random.nextDouble();
        if ((r -= resetShare) < 0) {
            return resetShare > 0 ? Fault.RESET : Fault.NONE;
        }
        if ((r -= timeoutShare) < 0) {
            return Fault.TIMEOUT;
        }
        if ((r -= serverErrorShare) < 0) {
            return Fault.SERVER_ERROR;
        }
        if ((r -= serverErrorAfterEffectShare) < 0) {
            return Fault.SERVER_ERROR_AFTER_EFFECT;
        }
        if ((r -= timeoutAfterEffectShare) < 0) {
            return Fault.TIMEOUT_AFTER_EFFECT;
        }
        return Fault.NONE;
    }

    /** Latency in milliseconds for one request. */
    long latencyMillis(RandomGenerator random) {
        if (!latencyPercentiles.isEmpty()) {
            TreeMap<Double, Duration> points = new TreeMap<>(latencyPercentiles);
            double p = random.nextDouble() * 100.0;
            Map.Entry<Double, Duration> lo = points.floorEntry(p);
            Map.Entry<Double, Duration> hi = points.ceilingEntry(p);
            if (lo == null) {
                return hi.getValue().toMillis();
            }
            if (hi == null || hi.getKey().equals(lo.getKey())) {
                return lo.getValue().toMillis();
            }
            double f = (p - lo.getKey()) / (hi.getKey() - lo.getKey());
            return Math.round(lo.getValue().toMillis() + f * (hi.getValue().toMillis() - lo.getValue().toMillis()));
        }
        long ms = latencyFixed.toMillis();
        long jitter = latencyJitter.toMillis();
        return jitter > 0 ? ms + random.nextLong(jitter) : ms;
    }

    public static final class Builder {
        private Duration latencyFixed = Duration.ZERO;
        private Duration latencyJitter = Duration.ZERO;
        private Map<Double, Duration> latencyPercentiles = Map.of();
        private double resetShare;
        private double timeoutShare;
        private double serverErrorShare;
        private double serverErrorAfterEffectShare;
        private double timeoutAfterEffectShare;
        private Duration timeoutHold = Duration.ofSeconds(60);
        private Set<ApiPath> endpoints = Set.of();

        private Builder() {
        }

        /** Fixed latency plus a uniform jitter in [0, jitter). */
        public Builder latency(Duration fixed, Duration jitter) { latencyFixed = fixed; latencyJitter = jitter; return this; }
        /** Latency by percentile (0..100 → duration), e.g. {@code Map.of(50.0, ofMillis(20), 99.0, ofMillis(300))}. */
        public Builder latencyPercentiles(Map<Double, Duration> percentiles) { latencyPercentiles = percentiles; return this; }
        public Builder resetShare(double share) { resetShare = share; return this; }
        public Builder timeoutShare(double share) { timeoutShare = share; return this; }
        public Builder serverErrorShare(double share) { serverErrorShare = share; return this; }
        public Builder serverErrorAfterEffectShare(double share) { serverErrorAfterEffectShare = share; return this; }
        public Builder timeoutAfterEffectShare(double share) { timeoutAfterEffectShare = share; return this; }
        /** How long a timed-out request is held before the connection is closed (default 60 s). */
        public Builder timeoutHold(Duration hold) { timeoutHold = hold; return this; }
        /** Restricts the faults to these endpoints (default: all). */
        public Builder endpoints(ApiPath... affected) { endpoints = Set.of(affected); return this; }

        public Faults build() {
            return new Faults(latencyFixed, latencyJitter, latencyPercentiles, resetShare, timeoutShare, serverErrorShare,
                    serverErrorAfterEffectShare, timeoutAfterEffectShare, timeoutHold, endpoints);
        }
    }
}
