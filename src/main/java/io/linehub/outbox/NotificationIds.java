package io.linehub.outbox;

/**
 * Notification and batch IDs: UUIDv7 (RFC 9562), time-ordered, so that new rows go to the end of every index on
 * an ID (the notification's own, its history's and attempts' {@code notification_id}) instead of to a random page
 * of each — with random IDs, H2 rewrote about three random pages per new row and commit.
 */
final class NotificationIds {

    private static final com.fasterxml.uuid.impl.TimeBasedEpochGenerator IDS = com.fasterxml.uuid.Generators.timeBasedEpochGenerator();

    private NotificationIds() {
    }

    static String newId() {
        return IDS.generate().toString();
    }
}
