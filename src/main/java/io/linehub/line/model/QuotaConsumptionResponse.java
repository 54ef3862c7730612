package io.linehub.line.model;

/** Answer of {@code GET /v2/bot/message/quota/consumption}. */
public record QuotaConsumptionResponse(Long totalUsage) {
}
