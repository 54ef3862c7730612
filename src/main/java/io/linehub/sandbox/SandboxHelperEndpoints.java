package io.linehub.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * Non-LINE endpoints for people looking at the sandbox: {@code GET /sandbox/requests},
 * {@code GET /sandbox/webhooks}, {@code GET /sandbox/sent} (messages that took effect; JSON arrays, oldest first),
 * {@code GET /sandbox/webhook-answers} (how long the hub took to answer the webhook requests: count, timed out,
 * p50/p90/p99/max in ms; {@code DELETE} starts the count again),
 * {@code POST /sandbox/channels/{channel}/friends} (a JSON array of user IDs) and {@code DELETE /sandbox/requests}.
 * Not recorded, no token needed, and answered only to clients on the same machine (loopback): others get 403,
 * since they show and change the sandbox's state.
 */
final class SandboxHelperEndpoints implements SandboxEndpoint {

    private final Vertx vertx;
    private final Supplier<Object> requests;
    private final Supplier<Object> webhooks;
    private final Supplier<Object> sent;
    private final java.util.function.BiConsumer<String, String> addFriend;
    private final Supplier<Object> webhookAnswers;
    private final Runnable clearWebhookAnswers;

    SandboxHelperEndpoints(Vertx vertx, Supplier<Object> requests, Supplier<Object> webhooks, Supplier<Object> sent,
                           java.util.function.BiConsumer<String, String> addFriend, Supplier<Object> webhookAnswers,
                           Runnable clearWebhookAnswers) {
        this.webhookAnswers = webhookAnswers;
        this.clearWebhookAnswers = clearWebhookAnswers;
        this.addFriend = addFriend;
        this.vertx = vertx;
        this.requests = requests;
        this.webhooks = webhooks;
        this.sent = sent;
    }

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.route("/sandbox/*").handler(rc -> {
            if (fromLoopback(rc)) {
                rc.next();
            } else {
                rc.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                        .end("{\"message\":\"the sandbox's helper endpoints answer only on loopback (127.0.0.1, ::1)\"}");
            }
        });
        router.get("/sandbox/requests").handler(rc -> dump(rc, sandbox, requests));
        router.get("/sandbox/webhooks").handler(rc -> dump(rc, sandbox, webhooks));
        router.get("/sandbox/sent").handler(rc -> dump(rc, sandbox, sent));
        router.get("/sandbox/webhook-answers").handler(rc -> dump(rc, sandbox, webhookAnswers));
        router.delete("/sandbox/webhook-answers").handler(rc -> {
            clearWebhookAnswers.run();
            rc.response().setStatusCode(204).end();
        });
        // POST /sandbox/channels/{channel}/friends with a JSON array of user IDs: other programs set up friends
        router.post("/sandbox/channels/:channel/friends").handler(io.vertx.ext.web.handler.BodyHandler.create()).handler(rc -> {
            try {
                String channel = rc.pathParam("channel");
                for (com.fasterxml.jackson.databind.JsonNode id : sandbox.json.readTree(rc.body().asString())) {
                    addFriend.accept(channel, id.asText());
                }
                rc.response().setStatusCode(204).end();
            } catch (Exception e) {
                rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                        .end("{\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}");
            }
        });
        router.delete("/sandbox/requests").handler(rc -> {
            sandbox.requests().clear();
            rc.response().setStatusCode(204).end();
        });
    }

    /** Whether the client connected from this machine (the address is an IP literal: no name lookup). */
    static boolean fromLoopback(RoutingContext rc) {
        io.vertx.core.net.SocketAddress remote = rc.request().remoteAddress();
        if (remote == null || remote.hostAddress() == null) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Serialising up to maxRecordedRequests entries is slow, so it runs off the event loop. */
    private void dump(RoutingContext rc, SandboxContext sandbox, Supplier<Object> what) {
        vertx.<String>executeBlocking(() -> {
            try {
                return sandbox.json.writeValueAsString(what.get());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                rc.response().putHeader("Content-Type", "application/json").end(ar.result());
            } else {
                rc.fail(ar.cause());
            }
        });
    }
}
