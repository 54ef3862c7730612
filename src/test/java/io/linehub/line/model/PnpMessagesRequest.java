package io.linehub.line.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Body of {@code POST /bot/pnp/push} (LINE notification message, flexible). A test fixture: the hub builds its request bodies as JSON (io.linehub.template.LinePayloads). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PnpMessagesRequest(String to, List<JsonNode> messages, Boolean notificationDisabled, List<String> customAggregationUnits) {
}
