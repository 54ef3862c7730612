package io.linehub.line.model;

/** Answer of the per-day statistics: status ready / unready / out_of_service / unavailable_for_privacy. */
public record NumberOfMessagesResponse(String status, Long success) {
}
