package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;

/** INTERIM (replaced by the template catalogue work): shipping_complete to Japan's documented keys. */
public final class TemplateRenderer {
    private final TemplateCatalog catalog;

    public TemplateRenderer(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    public void validate(String type, JsonNode data) {
        if (catalog.find(type).isEmpty()) {
            throw new InvalidNotificationDataException("type", "unknown notification type '" + type + "'");
        }
        if (!data.path("orderNumber").isTextual()) {
            throw new InvalidNotificationDataException("data.orderNumber", "is required");
        }
        if (data.path("orderNumber").asText().length() > 64) {
            throw new InvalidNotificationDataException("data.orderNumber", "is longer than 64 characters");
        }
        if (!data.path("shippedDate").isTextual()) {
            throw new InvalidNotificationDataException("data.shippedDate", "is required");
        }
    }

    public ObjectNode renderLonTemplate(String type, JsonNode data, RenderOptions options) {
        if (!"JP".equals(options.country())) {
            throw new MissingTemplateKeyException(type, options.country());
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("templateKey", "shipment_completed_ja");
        ObjectNode body = root.putObject("body");
        body.putObject("emphasizedItem").put("itemKey", "date_002_ja").put("content", data.path("shippedDate").asText());
        body.putArray("items").addObject().put("itemKey", "number_001_ja").put("content", data.path("orderNumber").asText());
        return root;
    }
}
