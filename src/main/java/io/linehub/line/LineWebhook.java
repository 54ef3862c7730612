package io.linehub.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * LINE's webhook, for the route on {@code POST /webhook/line/{channel}}: the signature is checked over the raw
 * body bytes before anything parses them; then the events are handed on one by one, each described by the
 * {@link LineConstants} headers labelled {@code webhook}.
 */
public class LineWebhook {

    private final LineChannels channels;

    public LineWebhook(LineChannels channels) {
        this.channels = channels;
    }

    /** Verifies {@code x-line-signature}; keeps the raw bytes as the body. */
    public void verify(Exchange exchange) {
        Message m = exchange.getMessage();
        String channelName = m.getHeader("channel", String.class);
        LineChannel channel = channels.find(channelName)
                .orElseThrow(() -> new UnknownChannelException(channelName));
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
        m.setBody(body);
    }


    /** Sets the event's headers (type, id, delivery data, timestamp, user id; see {@link LineConstants}) for routing. */
    public void describe(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        JsonNode event = m.getMandatoryBody(JsonNode.class);
        m.setHeader(LineConstants.EVENT_TYPE, event.path("type").asText(""));
        m.setHeader(LineConstants.WEBHOOK_EVENT_ID, event.path("webhookEventId").asText(null));
        JsonNode data = event.path("delivery").path("data");
        m.setHeader(LineConstants.DELIVERY_DATA, data.isTextual() ? data.asText() : null);
        m.setHeader(LineConstants.EVENT_TIMESTAMP, event.path("timestamp").asLong(0));
        JsonNode user = event.path("source").path("userId");
        m.setHeader(LineConstants.USER_ID, user.isTextual() ? user.asText() : null);
    }

    /** The events of a verified webhook body, each a JSON object; unknown event types are kept for routes to ignore. */
    public List<JsonNode> events(Exchange exchange) throws IOException, org.apache.camel.InvalidPayloadException {
        JsonNode root = Json.MAPPER.readTree(exchange.getMessage().getMandatoryBody(byte[].class));
        List<JsonNode> events = new ArrayList<>();
        root.path("events").forEach(events::add);
        return events;
    }
}
