package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;

import java.time.ZoneId;
import java.util.List;

/**
 * LINE's complete request bodies for a notification on each channel. The delivery path and the preview both
 * build their payloads here, so what a person previews is what LINE receives.
 */
public final class LinePayloads {

    private final TemplateRenderer renderer;

    public LinePayloads(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    public TemplateRenderer renderer() {
        return renderer;
    }

    /** {@code POST /v2/bot/message/pnp/templated/push}. */
    public ObjectNode lonTemplate(String toHash, String type, JsonNode data, RenderOptions options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("to", toHash);
        body.setAll(renderer.renderLonTemplate(type, data, options));
        return body;
    }

    /** {@code POST /bot/pnp/push}. */
    public ObjectNode lonFlex(String toHash, String type, JsonNode data, RenderOptions options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("to", toHash);
        body.putArray("messages").add(renderer.renderFlexMessage(type, data, options));
        return body;
    }

    /** {@code POST /v2/bot/message/push}. */
    public ObjectNode push(String userId, String type, JsonNode data, RenderOptions options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("to", userId);
        body.putArray("messages").add(renderer.renderFlexMessage(type, data, options));
        return body;
    }

    /** {@code POST /v2/bot/message/multicast}. */
    public ObjectNode multicast(List<String> userIds, String type, JsonNode data, RenderOptions options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        userIds.forEach(body.putArray("to")::add);
        body.putArray("messages").add(renderer.renderFlexMessage(type, data, options));
        return body;
    }

    /** {@code POST /v2/bot/message/broadcast}. */
    public ObjectNode broadcast(String type, JsonNode data, RenderOptions options) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("messages").add(renderer.renderFlexMessage(type, data, options));
        return body;
    }

    /** {@code POST /v2/bot/message/narrowcast}: the broadcast's messages, to the audience. */
    public ObjectNode narrowcast(long audienceGroupId, String type, JsonNode data, RenderOptions options) {
        ObjectNode body = broadcast(type, data, options);
        body.putObject("recipient").put("type", "audience").put("audienceGroupId", audienceGroupId);
        return body;
    }

    /** The zone a customer without one of their own lives in, by the country of their number. */
    public static ZoneId defaultZone(String country) {
        return switch (country == null ? "" : country) {
            case "JP" -> ZoneId.of("Asia/Tokyo");
            case "TW" -> ZoneId.of("Asia/Taipei");
            default -> ZoneId.of("Asia/Bangkok");
        };
    }
}
