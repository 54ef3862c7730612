package io.linehub;

import io.linehub.observe.OutboxGauges;
import io.linehub.outbox.Dispatcher;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.Map;

/**
 * {@code /observe/health}: the dispatcher. DOWN when, with delivery on, its route has not finished a claim round for
 * {@code stalledAfter} (a round ends at least once per poll interval: a claim that hangs on the database, a route
 * stopped by hand); degraded (UP, with the reason) when rounds go on but the oldest due notification has waited longer
 * than {@code oldestDueLimit} (a paused channel, a budget too small for the load).
 */
final class DispatcherHealthCheck extends AbstractHealthCheck {

    private final CamelContext context;
    private final Dispatcher dispatcher;
    private final OutboxGauges gauges;
    private final Duration stalledAfter;
    private final Duration oldestDueLimit;
    private final long createdNanos = System.nanoTime();

    DispatcherHealthCheck(CamelContext context, Dispatcher dispatcher, OutboxGauges gauges, Duration stalledAfter, Duration oldestDueLimit) {
        super("hub", "dispatcher");
        this.context = context;
        this.dispatcher = dispatcher;
        this.gauges = gauges;
        this.stalledAfter = stalledAfter;
        this.oldestDueLimit = oldestDueLimit;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ServiceStatus route = context.getRouteController().getRouteStatus("outbox-dispatcher");
        if (route == null || !context.getRoute("outbox-dispatcher").isAutoStartup() && !route.isStarted()) {
            builder.up().message("dispatcher: delivery is off on this hub (HUB_DELIVERY_ENABLED=false)");
            return;
        }
        long last = dispatcher.lastRoundNanos();
        long sinceNanos = System.nanoTime() - (last != 0 ? last : createdNanos);
        builder.detail("last.round.seconds.ago", sinceNanos / 1_000_000_000L);
        if (!route.isStarted()) {
            builder.down().message("dispatcher: its route is " + route.name().toLowerCase(java.util.Locale.ROOT) + "; nothing is sent");
            return;
        }
        if (sinceNanos > stalledAfter.toNanos()) {
            builder.down().message("dispatcher: stalled, no claim round for " + sinceNanos / 1_000_000_000L + " s (limit "
                    + stalledAfter.toSeconds() + " s)");
            return;
        }
        long oldest = gauges.oldestDueMillis();
        builder.detail("oldest.due.seconds", oldest / 1000);
        if (oldest > oldestDueLimit.toMillis()) {
            builder.up().message("dispatcher: running, but the oldest due notification has waited " + oldest / 1000 + " s (limit "
                    + oldestDueLimit.toSeconds() + " s): a paused channel or a rate budget too small for the load?").detail("degraded", true);
            return;
        }
        builder.up().message("dispatcher: running");
    }
}
