package io.linehub.sandbox;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded, LINE-compatible HTTP server ("the LINE sandbox") for running the hub without LINE.
 * Serves the endpoints of {@link ApiPath} (LONs, push, multicast, broadcast, narrowcast and progress, quota,
 * consumption, sent counts; README §4–§7) with LINE's rate limits, retry keys and quota, validates each request
 * against LINE's OpenAPI files, sends the delivery completion webhook (README §10.4) and, on demand, follow and
 * unfollow events (§10.5), and injects faults ({@link Faults}); every other path answers 404 like LINE.
 *
 * <pre>{@code
 * try (LineSandbox line = LineSandbox.start(SandboxConfig.builder().channel(ch).build())) {
 *     line.directory().add(sha256Hex);
 *     // point the hub at line.baseUrl()
 * }
 * }</pre>
 */
public final class LineSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineSandbox.class);

    /** LINE answers 413 for bodies above 2 MB (README §1). */
    static final long MAX_BODY_BYTES = 2L * 1024 * 1024;

    /** HTTP server instances (each on its own event loop) sharing the port. */
    static final int SERVER_INSTANCES = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private final SandboxContext sandbox;
    private final Vertx vertx;
    private final HttpServer server;
    private final String baseUrl;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LineSandbox(SandboxContext sandbox, Vertx vertx, HttpServer server) {
        this.sandbox = sandbox;
        this.vertx = vertx;
        this.server = server;
        String host = sandbox.config().host();
        this.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort();
    }

    /** Starts the sandbox; returns once it is listening. */
    public static LineSandbox start(SandboxConfig config) {
        SandboxContext sandbox = new SandboxContext(config);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            Router router = router(vertx, sandbox);
            // One server per event loop, deployed as verticle instances so they share one (even random) port;
            // Vert.x spreads connections round-robin over them.
            // A negative port asks Vert.x for one random port shared by all servers that use the same negative value.
            int port = config.port() == 0 ? -1 : config.port();
            List<HttpServer> servers = new CopyOnWriteArrayList<>();
            vertx.deployVerticle(() -> new AbstractVerticle() {
                        @Override
                        public void start(Promise<Void> started) {
                            vertx.createHttpServer(new HttpServerOptions()
                                            .setHost(config.host())
                                            .setPort(port)
                                            .setMaxHeaderSize(16 * 1024))
                                    .requestHandler(router)
                                    .listen()
                                    .onSuccess(servers::add)
                                    .<Void>mapEmpty()
                                    .onComplete(started);
                        }
                    }, new DeploymentOptions().setInstances(SERVER_INSTANCES))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpServer server = servers.get(0);
            for (HttpServer other : servers) {
                if (other.actualPort() != server.actualPort()) {
                    throw new IllegalStateException("server instances did not share one port");
                }
            }
            LineSandbox line = new LineSandbox(sandbox, vertx, server);
            LOG.info("LINE sandbox listening on {} with {} channel(s)", line.baseUrl, config.channels().size());
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(vertx, sandbox);
            throw new IllegalStateException("interrupted while starting the LINE sandbox", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            shutdown(vertx, sandbox);
            throw new IllegalStateException("LINE sandbox could not listen on " + config.host() + ":" + config.port(), e);
        }
    }

    private static List<SandboxEndpoint> lineEndpoints() {
        // one handler class per endpoint family
        return List.of(new PnpTemplatedPushEndpoint(), new PnpFlexiblePushEndpoint(), new UserIdSendEndpoints(),
                new NarrowcastEndpoints(), new QuotaAndStatsEndpoints(), new TokenEndpoint());
    }

    private static Router router(Vertx vertx, SandboxContext sandbox) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        for (SandboxEndpoint endpoint : lineEndpoints()) {
            endpoint.mount(router, sandbox);
        }
        new SandboxHelperEndpoints(vertx,
                () -> sandbox.requests().snapshot(),
                () -> sandbox.webhooks().sent(),
                () -> sandbox.sent().snapshot(),
                (channel, userId) -> sandbox.channelByName(channel).setFriend(requireUserId(userId), true),
                () -> sandbox.webhooks().answerTimes(),
                () -> sandbox.webhooks().clearAnswerTimes()).mount(router, sandbox);

        router.errorHandler(404, sandbox.lineApi(call -> call.respond(404, LineError.of("Not found"))));
        router.errorHandler(405, sandbox.lineApi(call -> call.respond(405, LineError.of("Method not allowed"))));
        router.route().failureHandler(rc -> failure(rc, sandbox));
        return router;
    }

    private static void failure(RoutingContext rc, SandboxContext sandbox) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        LineCall call = new LineCall(rc, sandbox);
        if (rc.statusCode() == 413) {
            // the body was refused unread (BodyHandler limit)
            call.bodyRefused();
            call.respond(413, LineError.of("Request Entity Too Large"));
        } else {
            LOG.error("sandbox failure on {} {}", rc.request().method(), rc.request().path(), rc.failure());
            call.respond(500, LineError.of("Internal server error"));
        }
    }

    private static void shutdown(Vertx vertx, SandboxContext sandbox) {
        sandbox.webhooks().close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("LINE sandbox did not stop cleanly", e);
        }
    }

    /** e.g. {@code http://127.0.0.1:34567}; use it in place of {@code https://api.line.me}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.actualPort();
    }

    /** Hashed numbers of LINE users who accept LINE notification messages. */
    public PhoneDirectory directory() {
        return sandbox.directory();
    }

    /** Snapshot of the recorded LINE API requests, oldest first. */
    public List<RecordedRequest> requests() {
        return sandbox.requests().snapshot();
    }

    public void clearRequests() {
        sandbox.requests().clear();
    }

    /**
     * How long the hub took to answer the webhook requests sent to it: requests, timedOut (no answer within LINE's 2 s),
     * failed, non2xx, p50Ms, p90Ms, p99Ms, maxMs.
     */
    public Map<String, Object> webhookAnswerTimes() {
        return sandbox.webhooks().answerTimes();
    }

    /** Snapshot of the webhooks sent to the hub, oldest first. */
    public List<SentWebhook> webhooks() {
        return sandbox.webhooks().sent();
    }

    /** Snapshot of the requests that took effect (messages sent or LONs accepted), oldest first. */
    public List<SentMessage> sent() {
        return sandbox.sent().snapshot();
    }

    /**
     * Requests of one channel to one endpoint per epoch second (configured clock) over the last hour: accepted and
     * rejected (429, 4xx, faults) alike — what the channel's rate-limit budget saw.
     *
     * @param path the endpoint path, e.g. {@code /v2/bot/message/push}
     */
    public java.util.NavigableMap<Long, Integer> countsPerSecond(String channel, String path) {
        ApiPath endpoint = ApiPath.byPath(path);
        if (endpoint == null) {
            throw new IllegalArgumentException("not a LINE endpoint of the sandbox: " + path);
        }
        return countsPerSecond(channel, endpoint);
    }

    public java.util.NavigableMap<Long, Integer> countsPerSecond(String channel, ApiPath endpoint) {
        sandbox.channelByName(channel);
        return sandbox.rateLimits().countsPerSecond(channel, endpoint);
    }

    /** Replaces the injected faults now (e.g. start an outage, then end it with {@link Faults#NONE}). */
    public void faults(Faults faults) {
        sandbox.faults(faults);
    }

    public Faults faults() {
        return sandbox.faults();
    }

    /** From now on every narrowcast ends failed with this errorCode (1..5, README §5.4); null: they succeed. */
    public void narrowcastErrorCode(Integer errorCode) {
        sandbox.narrowcastErrorCode(errorCode);
    }

    /** Makes a user a friend of the channel without a webhook (seeding). */
    public void addFriend(String channel, String userId) {
        sandbox.channelByName(channel).setFriend(requireUserId(userId), true);
    }

    /**
     * The user adds (or unblocks) the channel's OA: the friend list is updated and a signed {@code follow} event is
     * sent to the channel's webhook URL ({@code follow.isUnblocked} true when the user had blocked the OA).
     */
    public void follow(String channel, String userId) {
        ChannelState c = sandbox.channelByName(channel);
        Boolean before = c.setFriend(requireUserId(userId), true);
        sandbox.webhooks().sendFriendEvent(c, userId, true, Boolean.FALSE.equals(before));
    }

    /**
     * The user blocks the channel's OA: pushes to them still get 200 but reach nobody, multicasts skip them, and a
     * signed {@code unfollow} event is sent (also for users never seen before, as with LONs, README §4.2).
     */
    public void unfollow(String channel, String userId) {
        ChannelState c = sandbox.channelByName(channel);
        c.setFriend(requireUserId(userId), false);
        sandbox.webhooks().sendFriendEvent(c, userId, false, false);
    }

    /** User IDs of the channel's friends who have not blocked the OA, sorted. */
    public List<String> followers(String channel) {
        return sandbox.channelByName(channel).followers();
    }

    /** Whether the user blocked the channel's OA (unfollowed). */
    public boolean isBlocked(String channel, String userId) {
        return Boolean.FALSE.equals(sandbox.channelByName(channel).friendState(userId));
    }

    /** The OA is in this group ({@code C…}) or room ({@code R…}) with this many members (push counts each member). */
    public void joinGroup(String channel, String groupOrRoomId, int members) {
        if (groupOrRoomId == null || !ChannelState.GROUP_OR_ROOM_ID.matcher(groupOrRoomId).matches() || members < 1) {
            throw new IllegalArgumentException("group/room ID must be C or R + 32 hex and members >= 1");
        }
        sandbox.channelByName(channel).setGroup(groupOrRoomId, members);
    }

    /** How many channel access tokens {@code POST /oauth2/v3/token} has issued for the channel. */
    public long tokensIssued(String channel) {
        return sandbox.channelByName(channel).tokensIssued();
    }

    /** Sets the channel's monthly target limit; null = none. */
    public void quota(String channel, Long limit) {
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        sandbox.channelByName(channel).quota(limit);
    }

    /** Messages counted toward the channel's quota this month (push, multicast, broadcast, narrowcast recipients). */
    public long usage(String channel) {
        return sandbox.channelByName(channel).usage().get();
    }

    public void usage(String channel, long usage) {
        sandbox.channelByName(channel).usage().set(usage);
    }

    private static String requireUserId(String userId) {
        if (userId == null || !ChannelState.USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("a LINE user ID is U + 32 lowercase hex: " + userId);
        }
        return userId;
    }

    /** Stops the server; webhooks not yet sent are dropped. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdown(vertx, sandbox);
        LOG.info("LINE sandbox on {} stopped", baseUrl);
    }
}
