package io.linehub.outbox;

/**
 * @param id       the notification's id
 * @param status   its status now
 * @param created  false when an earlier request with the same idempotency key already created it
 */
public record EnqueueResult(String id, NotificationStatus status, boolean created) {
}
