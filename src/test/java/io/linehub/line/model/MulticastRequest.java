package io.linehub.line.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Body of {@code POST /v2/bot/message/multicast}: 1–500 user IDs. A test fixture: the hub builds its request bodies as JSON (io.linehub.template.LinePayloads). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MulticastRequest(List<String> to, List<JsonNode> messages, Boolean notificationDisabled, List<String> customAggregationUnits) {
}
