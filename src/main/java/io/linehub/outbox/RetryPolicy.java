package io.linehub.outbox;

import io.linehub.line.LineApiException;
import io.linehub.line.LineErrorKind;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What LINE's answer (or its absence) does to a notification: sent, retried later with backoff, given up, left
 * UNCERTAIN (a LINE notification message that may have reached LINE is not re-sent blindly), or held for an hour
 * with its channel paused (LINE's monthly limit). Decisions only: the {@link OutcomeStore} writes them.
 */
public class RetryPolicy {

    /**
     * What an outcome does to its notifications.
     *
     * @param reason        the attempt's error and the notification's last error (null when sent)
     * @param historyReason the status history row's reason
     * @param retryAt       when to try again (RETRY_WAIT), else null
     * @param pauseReason   when not null, the channel is paused for an hour with this reason
     */
    public record Decision(NotificationStatus next, String reason, String historyReason, OffsetDateTime retryAt, Integer httpStatus,
                           String lineRequestId, String pauseReason) {
    }

    private final int maxAttempts;

    /** @param maxAttempts attempts before a retryable failure becomes FAILED */
    public RetryPolicy(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** The decision for one outcome, at {@code now}. */
    public Decision decide(Outcome o, OffsetDateTime now) {
        OutboxEntry entry = o.entry();
        Throwable failure = o.failure();
        if (failure == null) {
            String why = entry.isBatch() ? "multicast of " + entry.memberIds().size()
                    : entry.lineOperation().equals("narrowcast") ? "narrowcast accepted; progress is polled" : null;
            return new Decision(NotificationStatus.SENT, null, why, null, o.httpStatus(), o.lineRequestId(), null);
        }
        String reason = failure.getMessage();
        if (!(failure instanceof LineApiException e)) {
            reason = "could not send: " + reason;
            return new Decision(NotificationStatus.FAILED, reason, reason, null, null, null, null);
        }
        Integer status = e.status() == 0 ? null : e.status();
        boolean mayResend = e.certainlyNotSent() || !entry.lineOperation().startsWith("pnp-");
        NotificationStatus next;
        OffsetDateTime retryAt = null;
        String pause = null;
        if (e.kind() == LineErrorKind.FINAL) {
            next = NotificationStatus.FAILED;
        } else if (e.kind() == LineErrorKind.QUOTA_EXHAUSTED) {
            next = NotificationStatus.RETRY_WAIT;
            retryAt = now.plusHours(1);
            pause = "LINE's monthly message limit is reached: " + e.lineMessage();
        } else if (!mayResend) {
            next = NotificationStatus.UNCERTAIN;
        } else if (entry.attempt() >= maxAttempts) {
            next = NotificationStatus.FAILED;
            reason = "gave up after " + entry.attempt() + " attempts: " + reason;
        } else {
            next = NotificationStatus.RETRY_WAIT;
            retryAt = now.plus(backoff(entry.attempt()));
        }
        return new Decision(next, reason, reason, retryAt, status, e.lineRequestId(), pause);
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s … capped at 5 minutes. */
    static Duration backoff(int attempt) {
        long capMillis = Math.min(300_000L, 1000L << Math.min(attempt - 1, 20));
        return Duration.ofMillis(capMillis / 2 + ThreadLocalRandom.current().nextLong(capMillis / 2 + 1));
    }
}
