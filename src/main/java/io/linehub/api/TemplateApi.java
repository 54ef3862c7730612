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

import java.io.IOException;

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
        try {
            request = raw == null || raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new RequestRejectedException("body", "is not valid JSON");
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
