package io.linehub.api;

import io.linehub.json.Json;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's defences below the routes. camel-platform-http-vertx builds its server with default
 * {@link HttpServerOptions} and offers no setting for them, but it takes the {@link Vertx} from the registry: the
 * hub binds one ({@link #vertx}) that hands platform-http a server with
 * <ul>
 *   <li>an idle timeout: a connection silent for that long is closed;</li>
 *   <li>no cleartext HTTP/2 upgrade (h2c, a known way to smuggle requests past a proxy): HTTP/1.1 only;</li>
 *   <li>a request with both {@code Content-Length} and {@code Transfer-Encoding} (request smuggling behind a proxy
 *       that reads the other one) refused with 400 and the connection closed, so no leftover byte runs as a request;</li>
 *   <li>every malformed request answered with the hub's JSON error and the connection closed;</li>
 *   <li>a client that goes away mid-request logged at DEBUG in one line, not as an ERROR with a stack trace.</li>
 * </ul>
 * The router's own answers (404, 405, 415, a failure on the connection) get the hub's JSON error body as well.
 */
public final class HttpServerHardening {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerHardening.class);

    private HttpServerHardening() {
    }

    /** A Vert.x for platform-http whose HTTP servers carry the defences above. */
    public static Vertx vertx(org.apache.camel.CamelContext camel, int idleTimeoutSeconds) {
        Vertx real = Vertx.vertx();
        return (Vertx) Proxy.newProxyInstance(HttpServerHardening.class.getClassLoader(), new Class<?>[]{VertxInternal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createHttpServer")) {
                        HttpServerOptions options = args != null && args.length == 1 && args[0] instanceof HttpServerOptions o
                                ? new HttpServerOptions(o) : new HttpServerOptions();
                        // no cleartext HTTP/2 upgrade either: h2c through a proxy is another way to smuggle requests past it
                        options.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS).setHttp2ClearTextEnabled(false);
                        return harden(camel, real.createHttpServer(options), options);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static HttpServer harden(org.apache.camel.CamelContext camel, HttpServer server, HttpServerOptions options) {
        server.connectionHandler(connection -> strictDecoder(connection, options))
                .invalidRequestHandler(HttpServerHardening::invalidRequest)
                .exceptionHandler(e -> LOG.debug("HTTP connection failed: {}", oneLine(e)));
        // platform-http's root router becomes the request handler: its error handlers answer for every route below it
        return (HttpServer) Proxy.newProxyInstance(HttpServerHardening.class.getClassLoader(), new Class<?>[]{HttpServer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("requestHandler") && args != null && args.length == 1 && args[0] instanceof Router router) {
                        answerErrors(router);
                        // the routes live in platform-http's sub-router, whose failures its own error handlers answer
                        camel.getRegistry().findByType(org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter.class)
                                .forEach(HttpServerHardening::answerErrors);
                    }
                    try {
                        Object result = method.invoke(server, args);
                        return result == server ? proxy : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Puts {@link StrictRequestDecoder} in place of Vert.x's request decoder before the connection reads anything. */
    private static void strictDecoder(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            if (pipeline.get("httpDecoder") instanceof VertxHttpRequestDecoder) {
                pipeline.replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(options));
            }
        }
    }

    /** Refuses a request that has both Content-Length and Transfer-Encoding (RFC 9112 §6.3: "ought to be handled as an error"). */
    static final class StrictRequestDecoder extends VertxHttpRequestDecoder {
        StrictRequestDecoder(HttpServerOptions options) {
            super(options);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (msg.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && msg.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                throw new AmbiguousLengthException();
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }

    static final class AmbiguousLengthException extends IllegalArgumentException {
        AmbiguousLengthException() {
            super("Content-Length and Transfer-Encoding together");
        }
    }

    /** A request the decoder could not read: the JSON error, then the connection is closed (what follows cannot be trusted). */
    private static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = 400;
        String field = "request";
        String reason = "is not a valid HTTP/1.1 request";
        if (cause instanceof AmbiguousLengthException) {
            field = "Transfer-Encoding";
            reason = "must not be sent together with Content-Length";
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            reason = "has a request line longer than the server accepts";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            status = 431;
            field = "headers";
            reason = "are larger than the server accepts";
        } else if (cause != null && String.valueOf(cause.getMessage()).contains("Content-Length")) {
            field = "Content-Length";
            reason = "is not a single valid length";
        }
        LOG.debug("refused a malformed HTTP request: {}: {}", field, reason);
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(ApiErrors.body(status, status == 400 ? "invalid_request" : "request_too_large", field, reason))
                .onComplete(done -> request.connection().close());
    }

    /** The router's own answers (no such path, wrong method, a failure on the connection) in the hub's JSON error form. */
    static void answerErrors(Router router) {
        router.errorHandler(404, ctx -> routerError(ctx, 404, "not_found", null, "there is no such resource"));
        router.errorHandler(405, ctx -> routerError(ctx, 405, "method_not_allowed", "method", "is not allowed on this resource"));
        router.errorHandler(415, ctx -> routerError(ctx, 415, "invalid_request", "Content-Type", "is not accepted by this resource"));
        router.errorHandler(500, HttpServerHardening::failed);
        // a client that went away mid-request: one line at DEBUG, no answer (there is no one to answer)
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (clientWentAway(ctx.failure()) || ctx.response().closed()) {
                LOG.debug("client connection ended before the answer: {}", oneLine(ctx.failure()));
            } else {
                ctx.next();
            }
        });
    }

    private static void failed(RoutingContext ctx) {
        Throwable e = ctx.failure();
        if (clientWentAway(e) || ctx.request().connection() == null || ctx.response().closed()) {
            LOG.debug("client connection ended before the answer: {}", oneLine(e));
            return;
        }
        String ref = java.util.UUID.randomUUID().toString();
        LOG.error("request failed, reference {}: {}", ref, oneLine(e), e);
        routerError(ctx, 500, "internal_error", null, "the hub could not complete the request; reference " + ref);
    }

    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof io.vertx.core.VertxException && String.valueOf(t.getMessage()).contains("closed")) {
                return true;
            }
        }
        return false;
    }

    private static void routerError(RoutingContext ctx, int status, String error, String field, String reason) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(ApiErrors.body(status, error, field, reason));
    }


    private static String oneLine(Throwable e) {
        return e == null ? "unknown" : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
