package io.linehub.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One request that took effect: LINE sent (or accepted for sending) its messages. Recorded also when the
 * answer was then replaced by an injected fault ("after effect"), which is how duplicates can be shown.
 *
 * @param at         when it took effect (configured clock)
 * @param channel    channel name
 * @param endpoint   the endpoint
 * @param requestId  the {@code x-line-request-id} of the request
 * @param retryKey   the {@code X-Line-Retry-Key} sent, or null
 * @param recipients who it reaches: user IDs (push, multicast, broadcast, narrowcast: friends who have not blocked the OA;
 *                   group/room ID for push to a group), or the hashed number for LONs (whether or not delivered);
 *                   empty when nobody is reached (e.g. push to a user who blocked the OA)
 * @param body       the request body as sent (JSON)
 */
public record SentMessage(Instant at, String channel, ApiPath endpoint, String requestId, String retryKey,
                          List<String> recipients, String body) {
}
