package io.linehub.line;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.linehub.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LINE's webhook, for the route on {@code POST /webhook/line/{channel}}: the signature is checked over the raw
 * body bytes before anything parses them; then the events are sorted ({@link #events}): the delivery-completion
 * events go on together (one step records them all), every other event one by one, each described by the
 * {@link LineConstants} headers labelled {@code webhook}.
 * <p>
 * Hostile input (docs/api.md, "LINE webhook"): a body that is not JSON, or JSON without an {@code events} array,
 * is refused with 400 naming {@code body} / {@code events}; a content type other than JSON with 415 naming
 * {@code Content-Type}. An event whose {@code webhookEventId} is missing, not a string, empty or longer than
 * {@value #MAX_EVENT_ID_LENGTH} characters cannot be de-duplicated: it is skipped with a WARN naming its index and
 * the reason (and counted, {@link #skippedEvents()}), and the other events of the request are handled; the request
 * is answered 200 so that LINE does not redeliver it forever. Nothing submitted is echoed in an answer or a log line.
 */
public class LineWebhook {

    /** The longest {@code webhookEventId} kept (LINE's are 26-character ULIDs; the repository's column holds 100). */
    public static final int MAX_EVENT_ID_LENGTH = 100;
    /** The longest {@code source.userId} kept (LINE's are 33 characters; the friend table's column holds 64). */
    static final int MAX_USER_ID_LENGTH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(LineWebhook.class);
    /** One JSON value and nothing after it. */
    private static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final LineChannels channels;
    private final AtomicLong skipped = new AtomicLong();

    public LineWebhook(LineChannels channels) {
        this.channels = channels;
    }

    /**
     * Checks the content type, verifies {@code x-line-signature} over the raw bytes, then parses them: the body
     * becomes the webhook's JSON object.
     */
    public void verify(Exchange exchange) {
        Message m = exchange.getMessage();
        String channelName = m.getHeader("channel", String.class);
        LineChannel channel = channels.find(channelName)
                .orElseThrow(() -> new UnknownChannelException());
        String contentType = m.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.isBlank() && !isJson(contentType)) {
            throw new LineWebhookRejectedException(415, "Content-Type", "must be application/json (LINE sends its webhook as JSON)");
        }
        byte[] body = m.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        String signature = m.getHeader("x-line-signature", String.class);
        if (signature == null) {
            throw new LineSignatureException("x-line-signature header is missing");
        }
        if (!LineSignature.verify(channel.channelSecret(), body, signature)) {
            throw new LineSignatureException("x-line-signature does not match the body");
        }
        JsonNode root;
        try {
            root = body.length == 0 ? null : STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new LineWebhookRejectedException(400, "body", "is not valid JSON" + where(e.getLocation()));
        } catch (IOException e) {
            throw new LineWebhookRejectedException(400, "body", "is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new LineWebhookRejectedException(400, "body", "is empty; LINE's webhook is a JSON object with an events array");
        }
        if (!root.isObject()) {
            throw new LineWebhookRejectedException(400, "body", "must be a JSON object");
        }
        if (!root.path("events").isArray()) {
            throw new LineWebhookRejectedException(400, "events", "must be an array (it may be empty)");
        }
        m.setBody(root);
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Sets the event's headers (type, id, delivery data, timestamp, user id; see {@link LineConstants}) for routing. */
    public void describe(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        JsonNode event = m.getMandatoryBody(JsonNode.class);
        JsonNode type = event.path("type");
        m.setHeader(LineConstants.EVENT_TYPE, type.isTextual() ? type.asText() : "");
        m.setHeader(LineConstants.WEBHOOK_EVENT_ID, event.path("webhookEventId").asText(null));
        JsonNode data = event.path("delivery").path("data");
        m.setHeader(LineConstants.DELIVERY_DATA, data.isTextual() ? data.asText() : null);
        JsonNode ts = event.path("timestamp");
        m.setHeader(LineConstants.EVENT_TIMESTAMP, ts.canConvertToLong() ? ts.asLong() : 0L);
        JsonNode user = event.path("source").path("userId");
        m.setHeader(LineConstants.USER_ID, user.isTextual() && !user.asText().isBlank() && user.asText().length() <= MAX_USER_ID_LENGTH
                ? user.asText() : null);
    }

    /**
     * The events of a verified webhook body that can be handled once: each a JSON object with a usable
     * {@code webhookEventId}. The others are skipped with a WARN (index and reason) and counted. The usable ones are
     * sorted: delivery-completion events (handled together by the next step) and all the others (handled one by one).
     * The body becomes the {@link LineWebhookEvents}.
     */
    public LineWebhookEvents events(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        JsonNode root = exchange.getMessage().getMandatoryBody(JsonNode.class);
        String channel = exchange.getMessage().getHeader("channel", String.class);
        List<LineDeliveryEvent> deliveries = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        int index = 0;
        for (JsonNode event : root.path("events")) {
            String problem = problem(event);
            if (problem != null) {
                skipped.incrementAndGet();
                LOG.warn("LINE webhook on channel {}: event {} skipped: {}", channel, index, problem);
            } else if ("delivery".equals(event.path("type").textValue())) {
                JsonNode data = event.path("delivery").path("data");
                deliveries.add(new LineDeliveryEvent(event.get("webhookEventId").asText(), data.isTextual() ? data.asText() : null));
            } else {
                others.add(event);
            }
            index++;
        }
        LineWebhookEvents sorted = new LineWebhookEvents(deliveries, others);
        exchange.getMessage().setBody(sorted);
        return sorted;
    }

    /** The events other than delivery completions (the route splits over them). */
    public List<JsonNode> otherEvents(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        return exchange.getMessage().getMandatoryBody(LineWebhookEvents.class).others();
    }

    /** Why an event cannot be handled exactly once, or null. */
    static String problem(JsonNode event) {
        if (!event.isObject()) {
            return "it is not a JSON object";
        }
        JsonNode id = event.get("webhookEventId");
        String reason;
        if (id == null) {
            reason = "is missing";
        } else if (id.isNull()) {
            reason = "is null";
        } else if (!id.isTextual()) {
            reason = "is not a string";
        } else if (id.asText().isBlank()) {
            reason = "is empty";
        } else if (id.asText().length() > MAX_EVENT_ID_LENGTH) {
            reason = "is longer than " + MAX_EVENT_ID_LENGTH + " characters";
        } else {
            return null;
        }
        return "webhookEventId " + reason + ", so the event cannot be de-duplicated";
    }

    /** Events skipped since the start because they could not be de-duplicated. */
    public long skippedEvents() {
        return skipped.get();
    }

    /** The answer to a {@link LineWebhookRejectedException}: the hub's JSON error naming the field (as api/ApiErrors writes it). */
    public void refuse(Exchange exchange) {
        LineWebhookRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, LineWebhookRejectedException.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("error", "invalid_request");
        body.put("field", e.field());
        body.put("reason", e.reason());
        body.put("message", e.field() + ": " + e.reason());
        LOG.info("LINE webhook on channel {} refused with {}: {}: {}", exchange.getMessage().getHeader("channel", String.class), e.status(),
                e.field(), e.reason());
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, e.status());
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(Json.write(body));
    }
}
