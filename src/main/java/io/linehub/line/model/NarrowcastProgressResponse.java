package io.linehub.line.model;

/** Answer of {@code GET /v2/bot/message/progress/narrowcast}; counts are absent while waiting. */
public record NarrowcastProgressResponse(String phase, Long successCount, Long failureCount, Long targetCount,
                                         String failedDescription, Integer errorCode, String acceptedTime, String completedTime) {

    public boolean finished() {
        return "succeeded".equals(phase) || "failed".equals(phase);
    }
}
