package io.linehub.line.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Body of {@code POST /v2/bot/message/narrowcast}; recipient and filter are LINE's objects as JSON. A test fixture: the hub builds its request bodies as JSON (io.linehub.template.LinePayloads). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NarrowcastRequest(List<JsonNode> messages, JsonNode recipient, JsonNode filter, Limit limit, Boolean notificationDisabled) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limit(Integer max, Boolean upToRemainingQuota, Boolean forbidPartialDelivery) {
    }
}
