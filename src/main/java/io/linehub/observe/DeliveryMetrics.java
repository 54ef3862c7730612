package io.linehub.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the delivery path: LINE's answers (by status class, 429s), the round trip to LINE, accept-to-LINE, and
 * every status a notification moves to after it was accepted. The meters of a channel and operation are created once
 * and kept ({@link PerOperation}): a notification costs a map look-up and a few increments, never a registry look-up.
 */
public final class DeliveryMetrics {

    /** The statuses counted by {@code hub_notifications_total}; the last three are also dead letters. */
    public enum Moved {
        SENT, DELIVERED, RETRY_WAIT, UNCERTAIN, FAILED, EXPIRED, UNDELIVERED;

        final String label = name().toLowerCase(Locale.ROOT);

        boolean deadLetter() {
            return this == FAILED || this == EXPIRED || this == UNDELIVERED;
        }

        /** The Moved of a status name (NotificationStatus), or null for one not counted here. */
        public static Moved of(String status) {
            for (Moved m : values()) {
                if (m.name().equals(status)) {
                    return m;
                }
            }
            return null;
        }
    }

    static final String[] STATUS_CLASSES = {"2xx", "3xx", "4xx", "5xx", "none"};
    private static final Duration[] ROUND_TRIP_BUCKETS = durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);
    private static final Duration[] ACCEPT_BUCKETS = durations(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
            900_000, 3_600_000);

    private final MeterRegistry registry;
    private final Map<String, PerOperation> byOperation = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that count nothing (a registry without backends): for code run without metrics, e.g. in unit tests. */
    public static DeliveryMetrics none() {
        return new DeliveryMetrics(new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
    }

    /**
     * LINE answered (or did not: {@code httpStatus} 0) a request of this channel and operation; {@code roundTripNanos}
     * from sending to the answer, negative when nothing was sent.
     */
    public void answered(String channel, String operation, int httpStatus, long roundTripNanos) {
        PerOperation p = of(channel, operation);
        int statusClass = httpStatus >= 200 && httpStatus < 600 ? httpStatus / 100 - 2 : 4;
        p.responses[statusClass].increment();
        if (httpStatus == 429) {
            p.rateLimited.increment();
        }
        if (roundTripNanos >= 0) {
            p.roundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** LINE accepted a notification {@code nanos} after it was accepted by the hub (or after its scheduled time). */
    public void acceptedToLine(String channel, String operation, long nanos) {
        if (nanos >= 0) {
            of(channel, operation).acceptToLine.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code count} notifications of this channel, operation and type moved to {@code status}. */
    public void moved(String channel, String operation, String type, Moved status, int count) {
        if (status == null || count <= 0) {
            return;
        }
        Counter[] c = of(channel, operation).byType(type);
        c[status.ordinal()].increment(count);
        if (status.deadLetter()) {
            c[Moved.values().length + status.ordinal()].increment(count);
        }
    }

    private PerOperation of(String channel, String operation) {
        String key = channel + '\u0000' + operation;
        PerOperation p = byOperation.get(key);
        return p != null ? p : byOperation.computeIfAbsent(key, k -> new PerOperation(channel, operation));
    }

    /** The meters of one channel and LINE operation. */
    private final class PerOperation {
        final String channel;
        final String operation;
        final Counter[] responses = new Counter[STATUS_CLASSES.length];
        final Counter rateLimited;
        final Timer roundTrip;
        final Timer acceptToLine;
        final Map<String, Counter[]> types = new ConcurrentHashMap<>();

        PerOperation(String channel, String operation) {
            this.channel = label(channel);
            this.operation = label(operation);
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                responses[i] = Counter.builder("hub.line.responses").description("LINE's answers to the hub's requests, by status class (none: no answer)")
                        .tags("channel", this.channel, "operation", this.operation, "status_class", STATUS_CLASSES[i]).register(registry);
            }
            rateLimited = Counter.builder("hub.line.rate.limited").description("LINE's 429 answers (rate limit or monthly quota)")
                    .tags("channel", this.channel, "operation", this.operation).register(registry);
            roundTrip = Timer.builder("hub.line.request").description("Round trip of a request to LINE, from sending to LINE's answer")
                    .tags("channel", this.channel, "operation", this.operation).serviceLevelObjectives(ROUND_TRIP_BUCKETS).register(registry);
            acceptToLine = Timer.builder("hub.notification.accept.to.line")
                    .description("From a notification's acceptance (or its scheduled time) to LINE accepting it")
                    .tags("channel", this.channel, "operation", this.operation).serviceLevelObjectives(ACCEPT_BUCKETS).register(registry);
        }

        Counter[] byType(String type) {
            String t = label(type);
            Counter[] c = types.get(t);
            return c != null ? c : types.computeIfAbsent(t, this::counters);
        }

        private Counter[] counters(String type) {
            Moved[] all = Moved.values();
            Counter[] c = new Counter[2 * all.length];
            for (Moved m : all) {
                c[m.ordinal()] = Counter.builder("hub.notifications").description("Notifications that moved to a status after acceptance")
                        .tags("channel", channel, "operation", operation, "type", type, "status", m.label).register(registry);
                if (m.deadLetter()) {
                    c[all.length + m.ordinal()] = Counter.builder("hub.notifications.dead.lettered")
                            .description("Notifications that became dead letters (failed, expired, undelivered)")
                            .tags("channel", channel, "operation", operation, "type", type, "status", m.label).register(registry);
                }
            }
            return c;
        }
    }

    static String label(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    private static Duration[] durations(long... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }
}
