package io.linehub.line;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code line:} component: every call the hub makes to LINE goes through it, e.g.
 * {@code line:pnp-template?channel=default}. Holds the configured channels and the one HTTP client shared by all
 * endpoints: Vert.x's (Netty, non-blocking, HTTP/1.1 keep-alive pool of up to {@link #setMaxConnections} connections).
 * Vert.x rather than the JDK's {@code java.net.http} client: at LINE's 2,000 requests per second the JDK client cost
 * about three times the CPU (docs/performance.md).
 */
public class LineComponent extends DefaultComponent {

    private LineChannels channels = new LineChannels(List.of());
    private Duration connectTimeout = Duration.ofSeconds(5);
    private int maxConnections = 500;
    private Vertx vertx;
    /** Several clients, each with its own share of the pool: Vert.x scans a pool's connections on every request. */
    private HttpClient[] httpClients;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    static final int POOL_SHARD = 32;
    private ScheduledExecutorService scheduler;
    private java.util.concurrent.ExecutorService replyExecutor;
    private int replyThreads = 8;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LineEndpoint endpoint = new LineEndpoint(uri, this, LineOperation.fromUriName(remaining));
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduler = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "line-progress");
        // the route goes on (and writes LINE's answer to the database) on these threads, never on the HTTP
        // client's own, which must stay free to write requests the moment the throttle lets them go
        replyExecutor = getCamelContext().getExecutorServiceManager().newFixedThreadPool(this, "line-reply", replyThreads);
        // its own small Vert.x: two event loops write requests and read answers, nothing else runs on them
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true).setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            org.slf4j.LoggerFactory.getLogger(LineComponent.class).info("line: Netty's native epoll transport is not available here"
                    + " ({}); using Java NIO", vertx.unavailableNativeTransportCause() == null ? "not Linux x86_64"
                    : vertx.unavailableNativeTransportCause().getClass().getSimpleName());
        }
        // Vert.x picks a connection by looking at every connection of the pool, so at LINE's rate a pool of
        // hundreds costs more CPU than the request: the connections are spread over clients of up to 32 each
        int shards = Math.max(1, (maxConnections + POOL_SHARD - 1) / POOL_SHARD);
        httpClients = new HttpClient[shards];
        for (int i = 0; i < shards; i++) {
            httpClients[i] = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout((int) connectTimeout.toMillis())
                            .setKeepAlive(true)
                            .setKeepAliveTimeout(30)
                            .setTryUseCompression(false)
                            .setName("line-" + i),
                    new PoolOptions().setHttp1MaxSize(Math.max(1, maxConnections / shards)));
        }
    }

    public LineChannels getChannels() {
        return channels;
    }

    public void setChannels(LineChannels channels) {
        this.channels = channels;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /** Most keep-alive connections to LINE at once (each carries one request at a time). */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** The next of the clients, in turn. */
    HttpClient httpClient() {
        HttpClient[] clients = httpClients;
        return clients[Math.floorMod(next.getAndIncrement(), clients.length)];
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    java.util.concurrent.Executor replyExecutor() {
        return replyExecutor;
    }

    public int getReplyThreads() {
        return replyThreads;
    }

    /** Threads that continue routes after LINE answered (the delivery records outcomes on them). */
    public void setReplyThreads(int replyThreads) {
        this.replyThreads = replyThreads;
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(scheduler);
            scheduler = null;
        }
        if (replyExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(replyExecutor);
            replyExecutor = null;
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
            httpClients = null;
        }
        super.doStop();
    }
}
