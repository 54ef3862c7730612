package io.linehub.line.model;

/** Answer of {@code GET /v2/bot/message/quota}: {@code type} "limited" with a {@code value}, or "none". */
public record MessageQuotaResponse(String type, Long value) {
}
