package io.linehub.outbox;

/** Headers and exchange properties the delivery routes carry between steps (the routes' YAML names them too). */
public final class DeliveryHeaders {

    public static final String NOTIFICATION_ID = "HubNotificationId";
    public static final String LINE_OPERATION = "HubLineOperation";
    public static final String RECIPIENTS = "HubRecipients";
    /** Exchange property holding the claimed {@link OutboxEntry}. */
    public static final String ENTRY = "HubOutboxEntry";
    public static final String STARTED_AT = "HubAttemptStartedAt";
    /** Headers for the throttle: the requests per second allowed, and the channel:operation it is counted under. */
    public static final String RATE_BUDGET = "HubRateBudget";
    public static final String RATE_KEY = "HubRateKey";

    private DeliveryHeaders() {
    }
}
