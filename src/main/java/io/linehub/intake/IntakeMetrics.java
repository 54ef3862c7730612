package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The intake route's policy ({@code routePolicy: intakeMetrics} in routes/intake.camel.yaml): each notification that
 * leaves {@code direct:intake} counts as accepted (stored, or in its trigger's batch) or refused, by trigger (the
 * route it came from: {@code api-post-notification}, {@code file-inbox}, …), channel and type. A channel or type
 * the hub does not know is counted as {@code unknown}: a request cannot invent label values.
 */
public class IntakeMetrics extends RoutePolicySupport {

    private final MeterRegistry registry;
    private final Predicate<String> knownChannel;
    private final Predicate<String> knownType;
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    public IntakeMetrics(MeterRegistry registry, Predicate<String> knownChannel, Predicate<String> knownType) {
        this.registry = registry;
        this.knownChannel = knownChannel;
        this.knownType = knownType;
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        PendingNotification n = exchange.getProperty(HubHeaders.INTAKE_NOTIFICATION, PendingNotification.class);
        count(exchange.getFromRouteId(), n, !exchange.isFailed(), 1);
    }

    /**
     * Counts {@code amount} notifications like {@code n} leaving intake, accepted or refused, for the trigger (a
     * route id); a file's chunk ({@link IntakeChunk}) counts its rows this way, as if each had passed the intake route.
     */
    void count(String fromRouteId, PendingNotification n, boolean accepted, long amount) {
        String channel = n != null && n.lineChannel != null && knownChannel.test(n.lineChannel) ? n.lineChannel : "unknown";
        String type = n != null && n.type != null && knownType.test(n.type) ? n.type : "unknown";
        String trigger = fromRouteId != null ? fromRouteId : "unknown";
        String key = trigger + '\u0000' + channel + '\u0000' + type;
        Counter[] c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> new Counter[]{
                    counter("hub.notifications.accepted", "Notifications accepted at intake (stored, or in their file's batch)", trigger, channel, type),
                    counter("hub.notifications.refused", "Notifications refused at intake (the caller, report or ERP row says why)", trigger, channel, type)});
        }
        c[accepted ? 0 : 1].increment(amount);
    }

    private Counter counter(String name, String description, String trigger, String channel, String type) {
        return Counter.builder(name).description(description).tags("trigger", trigger, "channel", channel, "type", type).register(registry);
    }
}
