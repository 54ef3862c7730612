package io.linehub;

import io.linehub.intake.IntakeMetrics;
import io.linehub.line.LineChannel;
import io.linehub.line.LineChannels;
import io.linehub.line.LineOperation;
import io.linehub.observe.ChannelHealthCheck;
import io.linehub.observe.ChannelWatch;
import io.linehub.observe.DatabaseHealthCheck;
import io.linehub.observe.DeliveryMetrics;
import io.linehub.observe.InboxMetrics;
import io.linehub.observe.OutboxGauges;
import io.linehub.observe.PrometheusScrape;
import io.linehub.outbox.Dispatcher;
import io.linehub.outbox.RateBudgets;
import io.linehub.template.TemplateCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Wiring of metrics and health (docs/monitoring.md): the hub's meters join the Prometheus registry of Camel's Micrometer
 * integration ({@code metricsRegistry}, with Camel's route and JVM meters; with {@code hub.metrics.enabled=false} a
 * registry without backends: every meter a no-op); the gauges
 * read from the database; the channel watch; and the health checks (database, each LINE channel, the dispatcher).
 */
final class Observability {

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);
    /** The name camel-micrometer looks the registry up by (MicrometerConstants.METRICS_REGISTRY_NAME). */
    static final String REGISTRY_NAME = "metricsRegistry";

    private final MeterRegistry registry;
    private final DeliveryMetrics delivery;
    private final InboxMetrics inbox;

    private Observability(MeterRegistry registry) {
        this.registry = registry;
        this.delivery = new DeliveryMetrics(registry);
        this.inbox = new InboxMetrics(registry);
    }

    static Observability create(CamelContext context) {
        boolean enabled = Boolean.parseBoolean(property(context.getPropertiesComponent(), "hub.metrics.enabled", "true"));
        MeterRegistry registry = new CompositeMeterRegistry();
        if (enabled) {
            // Camel Main starts its Micrometer service (camel.metrics.enabled) before this configuration runs: its
            // registry, with Camel's route meters and the JVM binders, is the one the hub's meters join
            registry = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, PrometheusMeterRegistry.class);
            if (registry == null) {
                registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                context.getRegistry().bind(REGISTRY_NAME, registry);
            }
        } else {
            LOG.info("metrics are off (HUB_METRICS_ENABLED=false): /observe/metrics answers 404");
        }
        context.getRegistry().bind("prometheusScrape", new PrometheusScrape(registry));
        return new Observability(registry);
    }

    DeliveryMetrics delivery() {
        return delivery;
    }

    InboxMetrics inbox() {
        return inbox;
    }

    /** The intake route's policy, counting accepted and refused notifications by trigger, channel and type. */
    IntakeMetrics intake(LineChannels channels, TemplateCatalog catalog) {
        return new IntakeMetrics(registry, name -> channels.find(name).isPresent(), type -> catalog.find(type).isPresent());
    }

    /**
     * The gauges (outbox, rate budgets, channels' quota) and the health checks; the periodic reads run on
     * {@code scheduler}, the database check on a thread of its own.
     */
    void start(CamelContext context, DataSource hubDb, LineChannels channels, RateBudgets budgets, Dispatcher dispatcher,
               ScheduledExecutorService scheduler, List<AutoCloseable> toClose) throws Exception {
        PropertiesComponent p = context.getPropertiesComponent();
        Supplier<Collection<String>> names = () -> channels.all().stream().map(LineChannel::name).toList();
        OutboxGauges gauges = new OutboxGauges(registry, hubDb, Clock.systemUTC(), names);
        long every = Long.parseLong(property(p, "hub.metrics.db-interval-seconds", "15"));
        scheduler.scheduleWithFixedDelay(gauges::refresh, 0, Math.max(1, every), TimeUnit.SECONDS);
        for (String channel : names.get()) {
            for (LineOperation op : LineOperation.values()) {
                if (op.sends() && op.rateLimit() == LineOperation.RateLimit.PER_SECOND_2000) {
                    Gauge.builder("hub.rate.budget", budgets, b -> b.budget(channel, op.uriName()))
                            .description("Requests per second the hub allows itself per channel and LINE endpoint (the throttle's budget)")
                            .tags("channel", channel, "operation", op.uriName()).register(registry);
                }
            }
        }
        ChannelWatch watch = new ChannelWatch(registry, Clock.systemUTC(), names);
        context.getRegistry().bind("channelWatch", watch);

        ExecutorService dbCheck = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-database");
            t.setDaemon(true);
            return t;
        });
        toClose.add(dbCheck::shutdownNow);
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new DatabaseHealthCheck(hubDb, Duration.ofSeconds(3), dbCheck));
        names.get().forEach(channel -> checks.add(new ChannelHealthCheck(watch, channel)));
        checks.add(new DispatcherHealthCheck(context, dispatcher, gauges,
                Duration.ofSeconds(Long.parseLong(property(p, "hub.health.dispatcher-stalled-seconds", "60"))),
                Duration.ofSeconds(Long.parseLong(property(p, "hub.health.oldest-due-seconds", "300")))));
        context.addStartupListener((ctx, alreadyStarted) -> {
            HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
            if (health != null) {
                checks.stream().filter(c -> health.getCheck(c.getId()).isEmpty()).forEach(health::register);
            }
        });
    }

    private static String property(PropertiesComponent p, String name, String otherwise) {
        return p.resolveProperty(name).map(String::trim).filter(v -> !v.isEmpty()).orElse(otherwise);
    }
}
