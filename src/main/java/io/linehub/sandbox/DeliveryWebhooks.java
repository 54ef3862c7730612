package io.linehub.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends webhooks to the hub the way LINE does (README §10): signed with the channel secret,
 * {@code User-Agent: LineBotWebhook/2.0}, scheduled on one scheduler thread and sent with the
 * asynchronous JDK HTTP client: the LON delivery completion event (README §10.4), several in one request when several
 * are due (as LINE does; {@link SandboxConfig#webhookBatchMax()}, {@link SandboxConfig#webhookBatchWindow()}), so that
 * at LINE's 2,000 messages a second the sandbox sends a few dozen requests a second, not 2,000; follow and unfollow
 * events (§10.5) one per request, when asked.
 */
final class DeliveryWebhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWebhooks.class);

    /** LINE logs a webhook as request_timeout when no response arrives within 2 s (README §10.1). */
    static final Duration HUB_RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    private final SandboxContext sandbox;
    private final EventIds eventIds;
    private final BoundedLog<SentWebhook> sent;
    private final WebhookAnswerTimes answerTimes = new WebhookAnswerTimes();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private volatile boolean closed;
    /** Delivery events waiting to fall due, in due order; {@link #flushScheduled} while a flush is scheduled for them. */
    private final ConcurrentLinkedQueue<DueDelivery> due = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    DeliveryWebhooks(SandboxContext sandbox) {
        this.sandbox = sandbox;
        this.eventIds = new EventIds(sandbox.config().randomSeed());
        this.sent = new BoundedLog<>(sandbox.config().maxRecordedRequests());
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("line-sandbox-webhook-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.httpExecutor = Executors.newFixedThreadPool(2, daemonThreads("line-sandbox-webhook-http"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(HUB_RESPONSE_TIMEOUT)
                .executor(httpExecutor)
                .build();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    List<SentWebhook> sent() {
        return sent.snapshot();
    }

    /** How long the hub took to answer the webhook requests (all of them since the last {@link #clearAnswerTimes()}). */
    Map<String, Object> answerTimes() {
        return answerTimes.summary();
    }

    void clearAnswerTimes() {
        answerTimes.clear();
    }

    /**
     * After {@link SandboxConfig#deliveryDelay()}, tell the channel's webhook URL that the LON was delivered. Due events
     * are gathered: a request carries up to {@link SandboxConfig#webhookBatchMax()} of them, and a due event waits at
     * most {@link SandboxConfig#webhookBatchWindow()} for others (LINE puts several events in one request when it
     * has them, README §10.3).
     *
     * @param data the X-Line-Delivery-Tag the hub sent, else the hashed number (README §10.4)
     */
    void scheduleDelivery(ChannelState channel, String data) {
        if (closed || channel.channel().webhookUrl() == null) {
            return;
        }
        long now = System.nanoTime();
        // one delay for every event: the queue is in the order the events fall due
        due.add(new DueDelivery(channel, data, now + sandbox.config().deliveryDelay().toNanos()));
        if (flushScheduled.compareAndSet(false, true)) {
            scheduleFlush(sandbox.config().deliveryDelay().toNanos());
        }
    }

    private record DueDelivery(ChannelState channel, String data, long dueNanos) {
    }

    private void scheduleFlush(long delayNanos) {
        try {
            scheduler.schedule(this::flushDue, Math.max(0, delayNanos) + sandbox.config().webhookBatchWindow().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: pending webhooks are dropped
        }
    }

    /** Sends every due delivery event, up to webhookBatchMax per request and channel; then waits for the next one. (Scheduler thread.) */
    private void flushDue() {
        long now = System.nanoTime();
        Map<ChannelState, List<String>> batches = new LinkedHashMap<>();
        int max = sandbox.config().webhookBatchMax();
        for (DueDelivery d = due.peek(); d != null && d.dueNanos() - now <= 0; d = due.peek()) {
            due.poll();
            List<String> batch = batches.computeIfAbsent(d.channel(), c -> new ArrayList<>());
            batch.add(d.data());
            if (batch.size() >= max) {
                sendDeliveries(d.channel(), batch);
                batches.remove(d.channel());
            }
        }
        batches.forEach(this::sendDeliveries);
        flushScheduled.set(false);
        DueDelivery next = due.peek();
        if (next != null && !closed && flushScheduled.compareAndSet(false, true)) {
            scheduleFlush(next.dueNanos() - now);
        }
    }

    private void sendDeliveries(ChannelState channel, List<String> data) {
        long now = sandbox.config().clock().millis();
        ObjectNode root = sandbox.json.createObjectNode();
        root.put("destination", channel.botUserId());
        ArrayNode events = root.putArray("events");
        for (String d : data) {
            ObjectNode event = events.addObject();
            event.put("type", "delivery");
            event.putObject("delivery").put("data", d);
            event.put("webhookEventId", eventIds.next(now));
            event.putObject("deliveryContext").put("isRedelivery", false);
            event.put("timestamp", now);
            event.put("mode", "active");
        }
        try {
            send(channel, sandbox.json.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A friend-status event (README §10.5) for one user, sent now: {@code follow} (with a reply token and
     * {@code follow.isUnblocked}) or {@code unfollow}; common fields as in §10.3 with {@code source} of type user.
     */
    void sendFriendEvent(ChannelState channel, String userId, boolean follow, boolean unblocked) {
        if (closed || channel.channel().webhookUrl() == null) {
            return;
        }
        long now = sandbox.config().clock().millis();
        ObjectNode root = sandbox.json.createObjectNode();
        root.put("destination", channel.botUserId());
        ObjectNode event = root.putArray("events").addObject();
        event.put("type", follow ? "follow" : "unfollow");
        event.put("mode", "active");
        event.put("timestamp", now);
        event.putObject("source").put("type", "user").put("userId", userId);
        event.put("webhookEventId", eventIds.next(now));
        event.putObject("deliveryContext").put("isRedelivery", false);
        if (follow) {
            event.put("replyToken", java.util.UUID.randomUUID().toString().replace("-", ""));
            event.putObject("follow").put("isUnblocked", unblocked);
        }
        String body;
        try {
            body = sandbox.json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            scheduler.execute(() -> send(channel, body)); // one thread: sent in call order
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** LINE does not say how often or when it redelivers (README §10.1): here up to 5 times, after 1, 2, 4, 8 and 16 s. */
    static final int REDELIVERIES = 5;

    /** POSTs one signed webhook body asynchronously and records the hub's answer. */
    void send(ChannelState channel, String body) {
        send(channel, body, 0);
    }

    private void send(ChannelState channel, String body, int redelivery) {
        if (closed) {
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSigner.sign(channel.channel().channelSecret(), bytes);
        URI url = channel.channel().webhookUrl();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(HUB_RESPONSE_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("x-line-signature", signature)
                .header("User-Agent", "LineBotWebhook/2.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        var at = sandbox.config().clock().instant();
        long started = System.nanoTime();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                int status = failure == null ? response.statusCode() : -1;
                answerTimes.record(System.nanoTime() - started, status, timedOut(failure));
                sent.add(new SentWebhook(at, channel.name(), body, signature, status));
                if (failure != null) {
                    LOG.warn("webhook to channel {} failed: {}", channel.name(), failure.toString());
                } else if (LOG.isTraceEnabled()) {
                    LOG.trace("webhook to channel {} -> {}", channel.name(), status);
                }
                if ((status < 200 || status > 299) && sandbox.config().webhookRedelivery() && redelivery < REDELIVERIES) {
                    // the same events (same ids), marked as a redelivery
                    String again = body.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
                    try {
                        scheduler.schedule(() -> send(channel, again, redelivery + 1), 1L << redelivery, TimeUnit.SECONDS);
                    } catch (RejectedExecutionException e) {
                        // closing
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }
}
