package io.linehub.line;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP seam of the {@code line:} component: the only class that talks HTTP to LINE. {@link LineProducer} builds
 * a {@link Request} and reads the {@link Response}; this sends the one and reads the other, without blocking a
 * thread while LINE answers. One per component, shared by all endpoints: Vert.x's client (Netty, non-blocking,
 * HTTP/1.1 keep-alive pool of up to {@code maxConnections} connections). Vert.x rather than the JDK's
 * {@code java.net.http} client: at LINE's 2,000 requests per second the JDK client cost about three times the CPU
 * (docs/performance.md).
 */
final class LineClient implements AutoCloseable {

    /** Several clients, each with its own share of the pool: Vert.x scans a pool's connections on every request. */
    static final int POOL_SHARD = 32;

    /** A request to LINE: the options (method, URL, headers, timeout) and the JSON body (null for GET). */
    record Request(RequestOptions options, String body) {
        String header(String name) {
            return options.getHeaders().get(name);
        }
    }

    /** LINE's answer, read whole. */
    record Response(int statusCode, String requestId, String acceptedRequestId, String body) {
    }

    /** When a request was written and its answer began to arrive, on the wall clock and on the monotonic clock. */
    static final class Timing {
        volatile long sentAt;
        volatile long sentNanos;
        volatile long answeredAt;
        volatile long answeredNanos;

        void sent() {
            sentNanos = System.nanoTime();
            sentAt = System.currentTimeMillis();
        }

        void answered() {
            answeredNanos = System.nanoTime();
            answeredAt = System.currentTimeMillis();
        }
    }

    /** LINE's answer headers read on every request, as names whose hash Netty computes once (see LineProducer). */
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-line-request-id");
    private static final CharSequence ACCEPTED_REQUEST_ID = HttpHeaders.createOptimized("x-line-accepted-request-id");

    private final Vertx vertx;
    private final HttpClient[] httpClients;
    private final AtomicInteger next = new AtomicInteger();

    LineClient(Duration connectTimeout, int maxConnections) {
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

    /** Sends the request on the next of the clients, in turn; completes on the connection's thread. */
    CompletableFuture<Response> send(Request request, Timing timing) {
        HttpClient client = httpClients[Math.floorMod(next.getAndIncrement(), httpClients.length)];
        Future<Response> answer = client.request(request.options())
                .compose(req -> {
                    timing.sent(); // a connection is ours: the request is written now, on this thread
                    return (request.body() == null ? req.send() : req.send(Buffer.buffer(request.body(), "UTF-8")))
                            .compose(res -> {
                                timing.answered(); // LINE's answer has begun to arrive
                                return res.body().map(body -> response(res, body));
                            });
                });
        return answer.toCompletionStage().toCompletableFuture();
    }

    private static Response response(HttpClientResponse res, Buffer body) {
        MultiMap headers = res.headers();
        return new Response(res.statusCode(), headers.get(REQUEST_ID), headers.get(ACCEPTED_REQUEST_ID),
                body.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
