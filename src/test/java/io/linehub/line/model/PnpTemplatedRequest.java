package io.linehub.line.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Body of {@code POST /v2/bot/message/pnp/templated/push}. A test fixture: the hub builds its request bodies as JSON (io.linehub.template.LinePayloads). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PnpTemplatedRequest(String to, String templateKey, Body body, List<String> customAggregationUnits) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Body(Item emphasizedItem, List<Item> items, List<Button> buttons) {
    }

    public record Item(String itemKey, String content) {
    }

    public record Button(String buttonKey, String url) {
    }
}
