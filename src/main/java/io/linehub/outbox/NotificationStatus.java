package io.linehub.outbox;

/** The life of a notification in the outbox. */
public enum NotificationStatus {
    /** Accepted and stored; waiting for the dispatcher. */
    QUEUED,
    /** Accepted and stored, not to be sent before its time ({@code sendAt}, or the end of quiet hours): {@code next_attempt_at}. */
    SCHEDULED,
    /** Claimed by a dispatcher, the request to LINE is under way. */
    SENDING,
    /** LINE accepted it (2xx). */
    SENT,
    /** LINE's delivery webhook confirmed it reached the customer (LON). */
    DELIVERED,
    /** Failed for a reason that may pass; will be tried again. */
    RETRY_WAIT,
    /** LINE may or may not have received it (timeout, 5xx, or the hub stopped while sending) and LON has no retry key. */
    UNCERTAIN,
    /** LINE accepted it but no delivery webhook came within the window. */
    UNDELIVERED,
    /** LINE refused it for good; the reason is recorded. */
    FAILED,
    /** Not sent before its {@code expiresAt} or within the retry window (which starts at its scheduled time). */
    EXPIRED,
    CANCELLED
}
