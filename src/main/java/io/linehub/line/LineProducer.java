package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;
import io.linehub.line.LineClient.Request;
import io.linehub.line.LineClient.Response;
import io.linehub.line.LineClient.Timing;
import io.linehub.line.model.MessageQuotaResponse;
import io.linehub.line.model.NarrowcastProgressResponse;
import io.linehub.line.model.NumberOfMessagesResponse;
import io.linehub.line.model.PushMessageResponse;
import io.linehub.line.model.QuotaConsumptionResponse;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Turns a message into LINE's request and LINE's answer back into the message; {@link LineClient} sends the one and
 * reads the other without blocking a thread while LINE answers. Success: the body becomes LINE's answer and the
 * {@link LineConstants} headers are set. Failure: a {@link LineApiException} carrying LINE's status,
 * message, details and the classification the delivery engine acts on.
 */
public class LineProducer extends DefaultAsyncProducer {

    private static final Pattern RETRY_KEY = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE = Pattern.compile("\\d{8}");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    // Header names (and the one fixed value) as Netty's AsciiString, whose hash is computed once: Vert.x and Netty hash
    // a header's name on every put and copy, and hashing a String's characters one by one was about a tenth of the
    // hub's CPU per send at LINE's 2,000 requests a second (docs/performance.md, session 10)
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence DELIVERY_TAG = HttpHeaders.createOptimized("X-Line-Delivery-Tag");
    private static final CharSequence RETRY_KEY_HEADER = HttpHeaders.createOptimized("X-Line-Retry-Key");

    private final LineEndpoint endpoint;
    private final LineConfiguration config;

    public LineProducer(LineEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    private CompletableFuture<Response> send(Request request, Timing timing) {
        return endpoint.getComponent().client().send(request, timing);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        LineChannel channel;
        try {
            channel = channel(exchange.getMessage());
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (!channel.issuesTokens()) {
            return send(exchange, callback, channel, channel.accessToken(), false, true);
        }
        // a token the hub issues: in hand, or issued first (the request waits without holding a thread)
        endpoint.getComponent().tokens().token(channel).whenComplete((token, failure) -> {
            if (failure != null) {
                exchange.setException(unwrap(failure));
                callback.done(false);
            } else {
                send(exchange, callback, channel, token, true, false);
            }
        });
        return false;
    }

    /**
     * Sends the request with {@code token}. With {@code mayRenew}, a 401 (LINE refused the token: it expired) is not
     * the answer: a new token is issued and the request sent once more with it (LINE did not take the first one).
     *
     * @param sync whether {@link #process} has not returned yet (the callback's doneSync)
     * @return whether the exchange was completed synchronously
     */
    private boolean send(Exchange exchange, AsyncCallback callback, LineChannel channel, String token, boolean mayRenew, boolean sync) {
        Request request;
        try {
            request = buildRequest(exchange.getMessage(), config.getOperation(), channel, token);
        } catch (RuntimeException | InvalidPayloadException e) {
            exchange.setException(e);
            callback.done(sync);
            return sync;
        }
        Timing timing = new Timing();
        send(request, timing).whenCompleteAsync((response, failure) -> {
            try {
                if (mayRenew && failure == null && response.statusCode() == 401) {
                    endpoint.getComponent().tokens().renewAfterRefusal(channel, token).whenComplete((fresh, notIssued) -> {
                        if (notIssued != null) {
                            exchange.setException(unwrap(notIssued));
                            callback.done(false);
                        } else {
                            send(exchange, callback, channel, fresh, false, false);
                        }
                    });
                    return;
                }
                if (timing.sentAt != 0) {
                    exchange.getMessage().setHeader(LineConstants.SENT_AT, timing.sentAt);
                }
                if (timing.answeredAt != 0) {
                    exchange.getMessage().setHeader(LineConstants.ANSWERED_AT, timing.answeredAt);
                    exchange.setProperty(LineConstants.ROUND_TRIP_TIMES, new long[] {timing.sentNanos, timing.answeredNanos});
                }
                if (failure != null) {
                    exchange.setException(LineErrors.fromFailure(failure));
                } else if (handleResponse(exchange, response) && config.getOperation() == LineOperation.NARROWCAST
                        && config.isWaitForCompletion()) {
                    pollProgress(exchange, callback, channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getProgressTimeout()));
                    return;
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            callback.done(false);
        }, endpoint.getComponent().replyExecutor());
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private LineChannel channel(Message in) {
        return endpoint.getComponent().getChannels().get(in.getHeader(LineConstants.CHANNEL, config.getChannel(), String.class));
    }

    Request buildRequest(Message in, LineOperation op) throws InvalidPayloadException {
        LineChannel channel = channel(in);
        if (channel.issuesTokens()) {
            throw new IllegalStateException("channel " + channel.name() + " sends with tokens the hub issues; build its requests with one");
        }
        return buildRequest(in, op, channel, channel.accessToken());
    }

    Request buildRequest(Message in, LineOperation op, LineChannel channel, String token) throws InvalidPayloadException {
        java.net.URI base = channel.baseUrl();
        boolean ssl = "https".equalsIgnoreCase(base.getScheme());
        String basePath = base.getRawPath() == null ? "" : stripSlash(base.getRawPath());
        RequestOptions b = new RequestOptions()
                .setSsl(ssl)
                .setHost(base.getHost())
                .setPort(base.getPort() != -1 ? base.getPort() : ssl ? 443 : 80)
                .setURI(basePath + op.path() + query(in, op))
                .setIdleTimeout(config.getRequestTimeout())
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (!op.sends()) {
            return new Request(b.setMethod(HttpMethod.GET), null);
        }
        String body = body(in, op);
        b.setMethod(HttpMethod.POST).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);

        String tag = in.getHeader(LineConstants.DELIVERY_TAG, config.getDeliveryTag(), String.class);
        if (tag != null) {
            if (!op.deliveryTagSupported()) {
                throw new IllegalArgumentException("LINE accepts X-Line-Delivery-Tag only on LINE notification messages, not on " + op.uriName());
            }
            if (tag.length() < 16 || tag.length() > 100) {
                throw new IllegalArgumentException("X-Line-Delivery-Tag must be 16 to 100 characters, was " + tag.length());
            }
            b.putHeader(DELIVERY_TAG, tag);
        }
        String retryKey = in.getHeader(LineConstants.RETRY_KEY, String.class);
        if (retryKey == null && config.generatesRetryKey() && op.retryKeySupported()) {
            retryKey = UUID.randomUUID().toString();
            in.setHeader(LineConstants.RETRY_KEY, retryKey);
        }
        if (retryKey != null) {
            if (!op.retryKeySupported()) {
                throw new IllegalArgumentException("LINE does not accept X-Line-Retry-Key on " + op.uriName());
            }
            if (!RETRY_KEY.matcher(retryKey).matches()) {
                throw new IllegalArgumentException("X-Line-Retry-Key must be a UUID in hex form");
            }
            b.putHeader(RETRY_KEY_HEADER, retryKey);
        }
        return new Request(b, body);
    }

    private String body(Message in, LineOperation op) throws InvalidPayloadException {
        Object body = in.getBody();
        Boolean disabled = config.getNotificationDisabled();
        if (disabled == null || op == LineOperation.PNP_TEMPLATE) {
            if (body instanceof String s) {
                return s;
            }
            if (body instanceof JsonNode || body instanceof Record) {
                return Json.write(body);
            }
            return in.getMandatoryBody(String.class);
        }
        JsonNode tree = body instanceof JsonNode n ? n.deepCopy()
                : body instanceof String s ? Json.read(s)
                : body instanceof Record ? Json.MAPPER.valueToTree(body)
                : Json.read(in.getMandatoryBody(String.class));
        if (tree instanceof ObjectNode object) {
            object.put("notificationDisabled", disabled);
        }
        return Json.write(tree);
    }

    private String query(Message in, LineOperation op) {
        switch (op) {
            case NARROWCAST_PROGRESS -> {
                String id = in.getHeader(LineConstants.NARROWCAST_REQUEST_ID, String.class);
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("narrowcast-progress needs the " + LineConstants.NARROWCAST_REQUEST_ID + " header");
                }
                return "?requestId=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            }
            case PNP_TEMPLATE_STATS, PNP_FLEX_STATS -> {
                String date = in.getHeader(LineConstants.DATE, String.class);
                if (date == null) {
                    date = LocalDate.now(ZoneOffset.ofHours(9)).format(YYYYMMDD);
                }
                if (!DATE.matcher(date).matches()) {
                    throw new IllegalArgumentException(LineConstants.DATE + " must be yyyyMMdd");
                }
                return "?date=" + date;
            }
            default -> {
                return "";
            }
        }
    }

    /** @return whether LINE accepted the request */
    private boolean handleResponse(Exchange exchange, Response response) {
        Message out = exchange.getMessage();
        int status = response.statusCode();
        String requestId = response.requestId();
        String acceptedId = response.acceptedRequestId();
        out.setHeader(LineConstants.HTTP_STATUS, status);
        out.setHeader(LineConstants.REQUEST_ID, requestId);
        if (acceptedId != null) {
            out.setHeader(LineConstants.ACCEPTED_REQUEST_ID, acceptedId);
        }
        if (!LineErrors.isSuccess(status, acceptedId)) {
            exchange.setException(LineErrors.fromResponse(status, response.body(), requestId));
            return false;
        }
        out.setBody(answer(config.getOperation(), response.body()));
        if (out.getBody() instanceof PushMessageResponse push && push.sentMessages() != null) {
            out.setHeader(LineConstants.SENT_MESSAGE_IDS, push.sentMessages().stream().map(PushMessageResponse.SentMessage::id).toList());
        }
        if (config.getOperation() == LineOperation.NARROWCAST) {
            out.setHeader(LineConstants.NARROWCAST_REQUEST_ID, acceptedId != null ? acceptedId : requestId);
        }
        if (out.getBody() instanceof NarrowcastProgressResponse progress) {
            out.setHeader(LineConstants.NARROWCAST_PHASE, progress.phase());
        }
        return true;
    }

    private static Object answer(LineOperation op, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return switch (op) {
                case PUSH -> Json.MAPPER.readValue(body, PushMessageResponse.class);
                case NARROWCAST_PROGRESS -> Json.MAPPER.readValue(body, NarrowcastProgressResponse.class);
                case QUOTA -> Json.MAPPER.readValue(body, MessageQuotaResponse.class);
                case QUOTA_CONSUMPTION -> Json.MAPPER.readValue(body, QuotaConsumptionResponse.class);
                case PNP_TEMPLATE_STATS, PNP_FLEX_STATS -> Json.MAPPER.readValue(body, NumberOfMessagesResponse.class);
                default -> body;
            };
        } catch (java.io.IOException e) {
            return body; // LINE answered 2xx with something we cannot read: keep it as text
        }
    }

    /** narrowcast with waitForCompletion: progress until succeeded or failed, without holding a thread. */
    private void pollProgress(Exchange exchange, AsyncCallback callback, LineChannel channel, long deadline) {
        Message out = exchange.getMessage();
        String requestId = out.getHeader(LineConstants.NARROWCAST_REQUEST_ID, String.class);
        endpoint.getComponent().scheduler().schedule(() -> endpoint.getComponent().tokens().token(channel).whenComplete((token, notIssued) -> {
            Request request;
            try {
                if (notIssued != null) {
                    throw unwrap(notIssued) instanceof RuntimeException r ? r : new IllegalStateException(notIssued);
                }
                out.setHeader(LineConstants.NARROWCAST_REQUEST_ID, requestId);
                request = buildRequest(out, LineOperation.NARROWCAST_PROGRESS, channel, token);
            } catch (RuntimeException | InvalidPayloadException e) {
                exchange.setException(e);
                callback.done(false);
                return;
            }
            send(request, new Timing()).whenCompleteAsync((response, failure) -> {
                try {
                    if (failure == null && response.statusCode() == 200) {
                        NarrowcastProgressResponse progress = (NarrowcastProgressResponse) answer(LineOperation.NARROWCAST_PROGRESS, response.body());
                        out.setHeader(LineConstants.NARROWCAST_PHASE, progress.phase());
                        out.setBody(progress);
                        if ("failed".equals(progress.phase())) {
                            exchange.setException(new LineApiException(200, "narrowcast failed: errorCode " + progress.errorCode()
                                    + (progress.failedDescription() == null ? "" : " (" + progress.failedDescription() + ")"),
                                    List.of(), requestId, LineErrorKind.FINAL, false, null));
                        } else if (!progress.finished()) {
                            if (System.nanoTime() < deadline) {
                                pollProgress(exchange, callback, channel, deadline);
                                return;
                            }
                            exchange.setException(new LineApiException(0, "narrowcast still " + progress.phase() + " when polling gave up",
                                    List.of(), requestId, LineErrorKind.RETRYABLE, false, null));
                        }
                    } else if (System.nanoTime() < deadline) {
                        pollProgress(exchange, callback, channel, deadline); // progress is read-only: polling again is safe
                        return;
                    } else {
                        exchange.setException(failure != null ? LineErrors.fromFailure(failure)
                                : LineErrors.fromResponse(response.statusCode(), response.body(), requestId));
                    }
                } catch (RuntimeException e) {
                    exchange.setException(e);
                }
                callback.done(false);
            }, endpoint.getComponent().replyExecutor());
        }), config.getProgressInterval(), TimeUnit.MILLISECONDS);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
