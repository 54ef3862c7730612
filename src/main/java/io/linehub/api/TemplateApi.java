package io.linehub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.intake.RequestRejectedException;
import io.linehub.json.Json;
import io.linehub.line.LineChannel;
import io.linehub.template.LinePayloads;
import io.linehub.template.RenderOptions;
import io.linehub.template.TemplatePreview;
import org.apache.camel.Exchange;
import org.apache.camel.Message;


/** {@code GET /api/templates} and {@code POST /api/templates/{type}/preview}. */
public class TemplateApi {

    private final TemplatePreview preview;
    private final RenderOptions channelDefaults;
    private final boolean flexibleApproved;

    public TemplateApi(TemplatePreview preview, LineChannel channel) {
        this.preview = preview;
        this.channelDefaults = new RenderOptions(channel.defaultLanguage(), channel.country(),
                LinePayloads.defaultZone(channel.country()), channel.buddhistEra(), channel.japaneseEra(), channel.rocYear());
        this.flexibleApproved = channel.flexibleApproved();
    }

    public void list(Exchange exchange) {
        respond(exchange.getMessage(), Json.write(preview.catalogue()));
    }

    public void preview(Exchange exchange) {
        Message m = exchange.getMessage();
        String type = m.getHeader("type", String.class);
        byte[] raw = m.getBody(byte[].class);
        JsonNode request;
        if (raw != null && raw.length > 64 * 1024) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "is larger than " + 64 * 1024 + " bytes");
        }
        if (raw != null && raw.length > 0) {
            new ApiRequests().requireJson(exchange);
        }
        try {
            request = raw == null || raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.readUntrusted(raw);
        } catch (Json.UntrustedJsonException e) {
            throw new RequestRejectedException(e.field(), e.reason());
        }
        if (!request.isObject()) {
            throw new RequestRejectedException("body", "must be a JSON object such as {\"data\": {…}, \"language\": \"th\"}");
        }
        respond(m, Json.write(preview.preview(type, request, channelDefaults, flexibleApproved)));
    }

    private static void respond(Message m, String json) {
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        m.setBody(json);
    }
}
