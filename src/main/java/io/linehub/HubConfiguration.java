package io.linehub;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.api.ApiAuth;
import io.linehub.api.ApiErrors;
import io.linehub.api.KeysApi;
import io.linehub.auth.AdminAudit;
import io.linehub.auth.ApiKeys;
import io.linehub.api.NotificationQueries;
import io.linehub.cluster.ClusterHeartbeat;
import io.linehub.cluster.RateShareGate;
import io.linehub.db.Database;
import io.linehub.db.H2Housekeeping;
import io.linehub.demo.DemoData;
import io.linehub.friends.FriendStatus;
import io.linehub.intake.NotificationIntake;
import io.linehub.intake.NotificationParser;
import io.linehub.intake.ChannelFacts;
import io.linehub.intake.PayloadPlanner;
import io.linehub.intake.RecipientFacts;
import io.linehub.channels.Channels;
import io.linehub.line.LineComponent;
import io.linehub.line.LineOperation;
import io.linehub.line.LineWebhook;
import io.linehub.outbox.ChannelPauses;
import io.linehub.outbox.Claims;
import io.linehub.outbox.DeadLetters;
import io.linehub.outbox.DeliveryReceipts;
import io.linehub.outbox.DispatchSignal;
import io.linehub.outbox.WebhookEventIds;
import io.linehub.outbox.Dispatcher;
import io.linehub.outbox.InFlight;
import io.linehub.outbox.LeaseStillHeld;
import io.linehub.outbox.NarrowcastProgress;
import io.linehub.outbox.NotificationQueue;
import io.linehub.outbox.OutboxListener;
import io.linehub.outbox.NotificationReadModel;
import io.linehub.outbox.OutboxSettings;
import io.linehub.outbox.OutcomeStore;
import io.linehub.outbox.OutcomeWriter;
import io.linehub.outbox.PrepareDelivery;
import io.linehub.outbox.QuotaGuard;
import io.linehub.outbox.RateBudgets;
import io.linehub.outbox.RecordOutcome;
import io.linehub.outbox.RetryPolicy;
import io.linehub.outbox.ThrottleWaitingRoom;
import io.linehub.outbox.TimeBasedOutcomes;
import io.linehub.sandbox.LineSandbox;
import io.linehub.sandbox.SandboxChannel;
import io.linehub.sandbox.SandboxConfig;
import io.linehub.sandbox.TemplateKeys;
import io.linehub.api.TemplateApi;
import io.linehub.template.LinePayloads;
import io.linehub.template.LonMapping;
import io.linehub.template.TemplatePreview;
import io.linehub.template.NotificationTemplate;
import io.linehub.template.TemplateCatalog;
import io.linehub.template.TemplateWatcher;
import io.linehub.template.TemplateRenderer;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Wires the hub's beans from its settings before the YAML routes load: databases (Flyway), the LINE channels
 * and the {@code line:} component, the sandbox when no LINE credentials are configured, and the beans the
 * routes call by name.
 */
public class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);
    static final String DEFAULT_CHANNEL = "default";

    @Override
    public void configure(CamelContext context) throws Exception {
        HubSettings s = HubSettings.from(context.getPropertiesComponent());
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            configure(context, s, toClose);
        } catch (Exception | Error e) {
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                for (AutoCloseable c : toClose) {
                    c.close();
                }
            }
        }, true, true);
    }

    private static java.util.concurrent.ScheduledExecutorService scheduler(String name, int threads, List<AutoCloseable> toClose) {
        java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(threads, daemonThreads(name));
        pool.setRemoveOnCancelPolicy(true);
        toClose.add(pool::shutdownNow);
        return pool;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void configure(CamelContext context, HubSettings s, List<AutoCloseable> toClose) throws Exception {
        // platform-http takes its Vert.x from the registry: this one gives its server an idle timeout and the HTTP defences
        int idleSeconds = context.getPropertiesComponent().resolveProperty("hub.http.idle-timeout-seconds").map(Integer::parseInt).orElse(60);
        io.vertx.core.Vertx httpVertx = io.linehub.api.HttpServerHardening.vertx(context, idleSeconds);
        context.getRegistry().bind("hubHttpVertx", httpVertx);
        // platform-http does not close a Vert.x it did not create, and Vert.x's threads would keep the JVM alive: closed
        // once the context (and platform-http's server with it) has stopped
        context.getRegistry().bind("hubHttpVertxCloser", (org.apache.camel.spi.OnCamelContextStopped) stopped ->
                httpVertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());

        // the metrics registry first: Camel's Micrometer integration (camel.metrics.*) takes it from the registry at start
        Observability observability = Observability.create(context);
        AuthSettings auth = AuthSettings.from(context.getPropertiesComponent());
        ApiKeys.checkEnvironmentKey(auth.apiKey());
        Files.createDirectories(s.dataDir());
        String dbUrl = s.dbUrl() != null ? s.dbUrl() : Database.embeddedH2Url(s.dataDir());
        HikariDataSource hubDb = Database.open("hub", dbUrl, s.dbUser(), s.dbPassword(), s.dbPoolSize());
        toClose.add(hubDb);
        Database.migrate(hubDb);
        // embedded H2 with WRITE_DELAY=0 runs no store housekeeping of its own: without this its file grows unbounded
        H2Housekeeping h2Housekeeping = s.dbH2HousekeepingMs() <= 0 ? null
                : H2Housekeeping.startIfNeeded(hubDb, dbUrl, Duration.ofMillis(s.dbH2HousekeepingMs()));
        if (h2Housekeeping != null) {
            toClose.add(0, h2Housekeeping);
        }
        DataSource customerDb = hubDb;
        if (s.customerDbUrl() != null) {
            HikariDataSource db = Database.open("customers", s.customerDbUrl(), s.customerDbUser(), s.customerDbPassword(), 5);
            toClose.add(0, db);
            customerDb = db;
        }
        LOG.info("hub database: {}", s.dbUrl() != null ? "configured (HUB_DB_URL)" : "embedded H2 under " + s.dataDir().toAbsolutePath());

        ChannelsConfiguration channelsConfig = ChannelsConfiguration.read(s, System::getenv);
        boolean sandboxActive = s.sandboxActive(channelsConfig.fileGiven());
        String token = s.lineChannelAccessToken();
        String secret = s.lineChannelSecret();
        Channels channels;
        LineSandbox sandbox = null;
        if (sandboxActive) {
            token = token != null ? token : "sandbox-" + randomHex(16);
            secret = secret != null ? secret : randomHex(16);
            String publicUrl = s.publicUrl() != null ? s.publicUrl() : "http://127.0.0.1:" + s.httpPort();
            List<SandboxChannel> served = new ArrayList<>(channelsConfig.sandboxChannels(publicUrl));
            if (!channelsConfig.fileHasDefault()) {
                served.add(0, new SandboxChannel(DEFAULT_CHANNEL, token, secret, URI.create(publicUrl + "/webhook/line/" + DEFAULT_CHANNEL)));
            }
            sandbox = LineSandbox.start(SandboxConfig.builder()
                    .port(s.sandboxPort())
                    .channels(served)
                    .deliveryDelay(Duration.ofMillis(s.sandboxDeliveryDelayMs()))
                    .undeliveredShare(s.sandboxUndeliveredShare())
                    .acceptAllNumbers(s.sandboxAcceptAllNumbers())
                    .templateKeys(TemplateKeys.documentedPlus(channelsConfig.withTemplateKeysOfTheFile(s.sandboxTemplateKeys())))
                    .tokenLifetime(Duration.ofSeconds(s.sandboxTokenLifetimeSeconds()))
                    .build());
            toClose.add(0, sandbox);
            context.getRegistry().bind("lineSandbox", sandbox);
            channels = channelsConfig.channels(token, secret, sandbox.baseUrl());
            LOG.info("LINE sandbox on {} (HUB_SANDBOX={}); request log at {}/sandbox/requests", sandbox.baseUrl(), s.sandboxMode(), sandbox.baseUrl());
        } else {
            if (!channelsConfig.fileHasDefault() && (token == null) != (secret == null)) {
                throw new IllegalArgumentException("LINE_CHANNEL_ACCESS_TOKEN and LINE_CHANNEL_SECRET go together: set both or neither");
            }
            channels = channelsConfig.channels(token, secret, null);
        }
        if (sandbox != null) {
            // the demo's followers are friends of the channel their country routes to (a TH channel for Thai ones, when there is one)
            Channels routed = channels;
            DemoData.seed(customerDb, sandbox, country -> routed.forCountry(country).map(io.linehub.channels.ChannelDefinition::name).orElse(DEFAULT_CHANNEL));
        }
        ApiKeys apiKeys = apiKeys(context, s, auth, hubDb, sandboxActive, toClose);
        LOG.info("LINE channels: {}", channels.all());
        context.getRegistry().bind("channels", channels);

        LineComponent line = new LineComponent();
        line.setChannels(channels.lineChannels());
        line.setReplyThreads(s.deliveryReplyThreads());
        line.setMaxConnections(s.lineMaxConnections());
        context.addComponent("line", line);

        OutboxSettings outboxSettings = new OutboxSettings(Duration.ofSeconds(s.deliveryLeaseSeconds()),
                s.deliveryMaxAttempts(), s.deliveryRetryWindow(), s.deliveryHourlyBudget(), s.deliveryPackingWindow(), s.deliveryUncertainAfter(),
                OutboxSettings.UncertainPolicy.valueOf(s.deliveryUncertainPolicy().toUpperCase(java.util.Locale.ROOT)), s.deliveryUndeliveredAfter());
        Clock clock = Clock.systemUTC();
        // inbox checkpoints: one transaction each on PostgreSQL, 20-row commits on embedded H2 (decision 0009)
        // what was queued wakes the dispatcher at once (in this process; through LISTEN/NOTIFY from other hubs)
        DispatchSignal dispatchSignal = new DispatchSignal();
        if (dbUrl.startsWith("jdbc:postgresql:")) {
            toClose.add(0, new OutboxListener(dbUrl, s.dbUser(), s.dbPassword(), dispatchSignal).start());
        }
        NotificationQueue notificationQueue = new NotificationQueue(hubDb, clock, outboxSettings, NotificationQueue.rowsPerTransactionFor(dbUrl))
                .signalling(dispatchSignal);
        ChannelPauses channelPauses = new ChannelPauses(hubDb, clock);
        OutcomeStore outcomeStore = new OutcomeStore(hubDb, clock, new RetryPolicy(outboxSettings.maxAttempts()), channelPauses);
        TemplateCatalog catalog = TemplateCatalog.load(Path.of(s.templatesDir()));
        if (s.templatesReloadSeconds() > 0) {
            // templates changed without a restart: a valid change replaces them, a broken one is refused (the last good set stays)
            TemplateWatcher watcher = new TemplateWatcher(Path.of(s.templatesDir()), catalog).start(s.templatesReloadSeconds());
            toClose.add(0, watcher);
            context.getRegistry().bind("templateWatcher", watcher);
            TemplatesHealthCheck health = new TemplatesHealthCheck(watcher);
            context.addStartupListener((ctx, alreadyStarted) -> {
                org.apache.camel.health.HealthCheckRegistry registry = org.apache.camel.health.HealthCheckRegistry.get(ctx);
                if (registry != null && registry.getCheck(health.getId()).isEmpty()) {
                    registry.register(health);
                }
            });
        }
        TemplateRenderer renderer = new TemplateRenderer(catalog);
        channels.checkTemplateKeys(s.channelsFile(), catalog);
        reportMissingLonKeys(catalog, channels);

        Registry r = context.getRegistry();
        r.bind("hubDataSource", hubDb);
        r.bind("customerDataSource", customerDb);
        r.bind("notificationQueue", notificationQueue);
        r.bind("channelPauses", channelPauses);
        // each channel's budget per LINE endpoint (its ratePerSecond; HUB_DELIVERY_RATE_PER_SECOND for the environment's default)
        RateBudgets rateBudgets = new RateBudgets(s.deliveryRatePerSecond(), channels.rateBudgets(), s.rateWindow(), s.deliveryRateMarginMs());
        r.bind("rateBudgets", rateBudgets);
        r.bind("rateWindowHold", rateBudgets.holdExpression());
        // the throttle's waiting room and the rate window's timer. Camel's default pools reject beyond 1,000 queued
        // tasks and then run the task on the caller, i.e. sleep out the rate window on the thread that called
        // (e.g. the outcome writer); at 2,000 requests a second both hold more than that, so their queues are
        // unbounded. The waiting room never forgets a key's permits (ThrottleWaitingRoom says why).
        r.bind("rateWindowScheduler", scheduler("rate-window", 2, toClose));
        ThrottleWaitingRoom waitingRoom = new ThrottleWaitingRoom(4, daemonThreads("rate-waiting-room"));
        toClose.add(waitingRoom::shutdownNow);
        r.bind("rateWaitingRoom", waitingRoom);
        // the delivery routes' steps, in their order: claim, prepare, (throttle, cluster share) lease check, (line:) record
        InFlight inFlight = new InFlight();
        String nodeId = newNodeId();
        // with several channels a claim shares its rows among them: one channel's backlog never holds up the others
        Claims claims = new Claims(hubDb, clock, nodeId, outboxSettings).withChannels(channels.names());
        LeaseStillHeld leaseStillHeld;
        if (Database.isPostgres(dbUrl)) {
            // a cluster: the budgets hold for all hubs together, a dead hub's claims come back after its node lease
            ClusterSettings cs = ClusterSettings.from(context.getPropertiesComponent());
            // exchanges the gate held go on on threads of their own, never the throttle's waiting room: its threads block
            // on the throttle's permits, which come back only once those exchanges have gone on (a deadlock: ClusterIT)
            RateShareGate gate = RateShareGate.clustered(scheduler("rate-share-gate", 2, toClose));
            ClusterHeartbeat heartbeat = new ClusterHeartbeat(hubDb, nodeId, gate, cs.shareLease(), cs.nodeLease()).start(cs.heartbeat());
            toClose.add(0, heartbeat);
            claims.withNodeLeases(cs.nodeLease());
            leaseStillHeld = new LeaseStillHeld(outboxSettings.lease(), heartbeat::nodeLeaseHeld);
            r.bind("rateShareGate", gate);
            // schedules fire once per occurrence across the cluster: Quartz's clustered job store on this database
            org.apache.camel.component.quartz.QuartzComponent quartz = new org.apache.camel.component.quartz.QuartzComponent();
            org.quartz.Scheduler scheduler = io.linehub.schedule.ClusteredQuartz.scheduler(hubDb, nodeId);
            // camel-quartz leaves a scheduler it did not create running: stopped here, before the pool it uses closes,
            // so that the triggers it holds go back to the other hubs at once
            toClose.add(0, () -> io.linehub.schedule.ClusteredQuartz.stop(scheduler, hubDb, nodeId));
            quartz.setScheduler(scheduler);
            // a trigger created by another hub names that hub's context: every hub answers to the cluster's context name
            context.addStartupListener((ctx, alreadyStarted) -> io.linehub.schedule.ClusteredQuartz.answerTo(scheduler, ctx));
            context.addComponent("quartz", quartz);
        } else {
            leaseStillHeld = new LeaseStillHeld(outboxSettings.lease());
            r.bind("rateShareGate", RateShareGate.passThrough());
        }
        // each channel holds at most about two seconds of its budget (its LON endpoint's; the others' are the same)
        Map<String, Integer> channelRates = new java.util.HashMap<>();
        channels.names().forEach(name -> channelRates.put(name, rateBudgets.budget(name, LineOperation.PNP_TEMPLATE.uriName())));
        Dispatcher dispatcher = new Dispatcher(claims, inFlight, dispatchSignal).withChannelRates(channelRates);
        r.bind("dispatcher", dispatcher);
        r.bind("prepareDelivery", new PrepareDelivery(rateBudgets, inFlight));
        r.bind("leaseStillHeld", leaseStillHeld);
        // the routes go on after their outcome's commit on their own threads, so the writer starts the next one at once
        OutcomeWriter outcomes = new OutcomeWriter(outcomeStore, 200, 2, scheduler("outbox-outcome-done", 2, toClose));
        context.addService(outcomes, true, true);
        r.bind("recordSent", RecordOutcome.sent(outcomes, inFlight, observability.delivery()));
        r.bind("recordFailure", RecordOutcome.failure(outcomes, inFlight, observability.delivery()));
        r.bind("deliveryReceipts", new DeliveryReceipts(hubDb, clock).metered(observability.delivery()));
        r.bind("narrowcastProgress", new NarrowcastProgress(hubDb, clock));
        r.bind("timeBasedOutcomes", new TimeBasedOutcomes(hubDb, clock, outboxSettings).metered(observability.delivery()));
        LinePayloads payloads = new LinePayloads(renderer);
        FriendStatus friends = new FriendStatus(hubDb, Clock.systemUTC());
        r.bind("friendStatus", friends);
        // the steps of routes/intake.camel.yaml: parse, recipient facts, the channel policy's outcomes, the outbox row
        NotificationParser parser = new NotificationParser(channels.names());
        r.bind("intakeParser", parser);
        RecipientFacts recipientFacts = new RecipientFacts(s.defaultRegion());
        r.bind("recipientFacts", recipientFacts);
        r.bind("channelRouting", new io.linehub.intake.ChannelRouting(channels));
        PayloadPlanner planner = new PayloadPlanner(payloads, channels);
        r.bind("payloadPlanner", planner);
        ChannelFacts channelFacts = new ChannelFacts(channels, friends);
        r.bind("channelFacts", channelFacts);
        java.util.Map<String, io.linehub.quiet.QuietHours> quiet = new java.util.HashMap<>(channels.quietHours());
        channelQuietHours(context).forEach(quiet::putIfAbsent);
        io.linehub.intake.SendSchedule sendSchedule = new io.linehub.intake.SendSchedule(catalog, channels.lineChannels(), quiet, clock);
        r.bind("sendSchedule", sendSchedule);
        r.bind("intake", new NotificationIntake(notificationQueue));
        io.linehub.intake.IntakeMetrics intakeMetrics = observability.intake(channels.lineChannels(), catalog);
        r.bind("intakeMetrics", intakeMetrics);
        r.bind("quotaGuard", new QuotaGuard(context.createProducerTemplate(), friends, outcomeStore, Duration.ofHours(1)));
        // one preview and one dead-letter store, shared by the API and the dashboard
        TemplatePreview preview = new TemplatePreview(catalog, payloads);
        DeadLetters deadLetters = new DeadLetters(hubDb, clock, outboxSettings);
        r.bind("templateApi", new TemplateApi(preview, channels.get(DEFAULT_CHANNEL).line()));
        r.bind("apiErrors", new ApiErrors());
        AdminAudit audit = new AdminAudit(hubDb, clock);
        r.bind("apiKeys", apiKeys);
        r.bind("apiAuth", new ApiAuth(apiKeys, audit));
        r.bind("keysApi", new KeysApi(apiKeys, audit));
        r.bind("apiRequests", new io.linehub.api.ApiRequests());
        r.bind("notificationQueries", new NotificationQueries(new NotificationReadModel(hubDb), deadLetters, channelPauses));
        r.bind("lineWebhook", new LineWebhook(channels.lineChannels()));

        // webhook events already handled (line_webhook_event): delivery events together in deliveryReceipts' fold,
        // the others through the route's idempotentConsumer
        r.bind("webhookEventIds", new WebhookEventIds(hubDb, clock));
        TriggerConfiguration.bind(context, s.dataDir(), hubDb, customerDb, notificationQueue, nodeId);
        // direct:intake-chunk: the same steps for a file's rows a chunk at a time, asking the deciding routes once per distinct facts
        r.bind("intakeChunk", new io.linehub.intake.IntakeChunk(parser, recipientFacts, planner, channelFacts, sendSchedule, intakeMetrics,
                r.lookupByNameAndType("customerCache", io.linehub.customer.CustomerCache.class), context.createProducerTemplate()));
        // the dashboard (GET /): sessions signed in with API keys, pages from the read model and the inbox's progress
        r.bind("dashboard", DashboardConfiguration.dashboard(context, apiKeys, audit, hubDb, deadLetters,
                channelPauses, preview, channels.lineChannels(), rateBudgets, clock));
        r.lookupByNameAndType("inboxFiles", io.linehub.inbox.InboxFiles.class).metered(observability.inbox());
        observability.start(context, hubDb, channels.lineChannels(), rateBudgets, dispatcher, scheduler("observe", 1, toClose), toClose);

        context.getPropertiesComponent().addOverrideProperty("hub.demo.active", String.valueOf(sandboxActive && s.demoEnabled()));
    }

    /** hub.quiet-hours (HUB_QUIET_HOURS): the default channel's quiet hours, e.g. 21:00-08:00; blank: none. */
    private static java.util.Map<String, io.linehub.quiet.QuietHours> channelQuietHours(CamelContext context) {
        String text = context.getPropertiesComponent().resolveProperty("hub.quiet-hours").orElse("");
        try {
            java.util.Optional<io.linehub.quiet.QuietHours> q = io.linehub.quiet.QuietHours.parse(text);
            q.ifPresent(h -> LOG.info("quiet hours of channel {}: {} (in each customer's time zone; urgent types ignore them)", DEFAULT_CHANNEL, h));
            return q.map(h -> java.util.Map.of(DEFAULT_CHANNEL, h)).orElse(java.util.Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HUB_QUIET_HOURS (hub.quiet-hours): " + e.getMessage(), e);
        }
    }

    /**
     * Who may call /api/*: the key from HUB_API_KEY; else, with the sandbox, the quick-start key in
     * $HUB_DATA_DIR/api-key (generated at first start); else keys stored earlier (POST /api/keys). With none of
     * these the hub refuses to start and says what to set. The key itself is never logged.
     */
    private static ApiKeys apiKeys(CamelContext context, HubSettings s, AuthSettings auth, DataSource hubDb, boolean sandboxActive,
                                   List<AutoCloseable> toClose) {
        ApiKeys keys = new ApiKeys(hubDb, Clock.systemUTC(), auth.cacheTime());
        keys.useEnvironmentKey(auth.apiKey());
        if (auth.apiKey() != null) {
            LOG.info("API keys: HUB_API_KEY (every scope) and any keys created with POST /api/keys");
        } else if (sandboxActive) {
            Path file = s.dataDir().resolve("api-key");
            boolean generated = keys.ensureQuickStartKey(file);
            LOG.info("API key for /api/* ({}): in {} (send it as Authorization: Bearer <key>; set HUB_API_KEY to choose your own)",
                    generated ? "generated now" : "kept from an earlier start", file.toAbsolutePath());
        } else if (!keys.anyKey()) {
            throw new IllegalArgumentException("no API key: with real LINE credentials the hub needs HUB_API_KEY (at least "
                    + ApiKeys.MIN_ENVIRONMENT_KEY_LENGTH + " characters, every scope; e.g. `openssl rand -hex 32`) to protect /api/*");
        }
        java.util.concurrent.ScheduledExecutorService flusher = scheduler("api-key-last-used", 1, toClose);
        long every = Math.max(1, auth.lastUsedInterval().toMillis());
        flusher.scheduleWithFixedDelay(keys::flushLastUsed, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        // written once more when the hub stops, before its database closes (toClose closes in order; the pool is last)
        toClose.add(0, keys::flushLastUsed);
        return keys;
    }

    /** Start-up validation: which types cannot go out as a LON template on each channel (no key from LINE configured). */
    private static void reportMissingLonKeys(TemplateCatalog catalog, Channels channels) {
        for (io.linehub.channels.ChannelDefinition channel : channels.all()) {
            List<String> gaps = catalog.all().stream()
                    .filter(t -> !channel.templateKeys().containsKey(t.type()))
                    .filter(t -> !t.lon(channel.country()).map(LonMapping::configured).orElse(false))
                    .map(NotificationTemplate::type).toList();
            if (!gaps.isEmpty()) {
                LOG.warn("channel {} ({}): no LINE template key configured for {} of {} notification types; LON template refuses them"
                        + " until config/templates maps them: {}", channel.name(), channel.country(), gaps.size(), catalog.all().size(), gaps);
            }
        }
    }

    /**
     * This hub's name in claims, leases and the cluster: pid@host plus a random part (containers often share pid 1,
     * and tests run several hubs in one JVM).
     */
    private static String newNodeId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + randomHex(4);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
