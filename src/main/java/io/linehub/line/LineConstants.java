package io.linehub.line;

/** Names of the Camel message headers the {@code line:} component reads and writes. */
public final class LineConstants {

    /** In: the channel to send through, overriding the endpoint's {@code channel} option. */
    public static final String CHANNEL = "LineChannel";
    /** In: value for {@code X-Line-Delivery-Tag} (LON only, 16–100 characters); overrides the {@code deliveryTag} option. */
    public static final String DELIVERY_TAG = "LineDeliveryTag";
    /**
     * In: value for {@code X-Line-Retry-Key} (push, multicast, broadcast, narrowcast only; a UUID). Out: the key
     * used, also when the endpoint generated it ({@code retryKey=auto}), so it can be stored and reused.
     */
    public static final String RETRY_KEY = "LineRetryKey";
    /** In: the narrowcast request ID for {@code narrowcast-progress}. Out: set by {@code narrowcast}. */
    public static final String NARROWCAST_REQUEST_ID = "LineNarrowcastRequestId";
    /** In: the day for the statistics operations, {@code yyyyMMdd} in UTC+9; default today there. */
    public static final String DATE = "LineDate";
    /** Out: HTTP status LINE answered. */
    public static final String HTTP_STATUS = "LineHttpStatus";
    /** Out: LINE's {@code x-line-request-id}. */
    public static final String REQUEST_ID = "LineRequestId";
    /** Out: LINE's {@code x-line-accepted-request-id}: a 409 for a retry key LINE had already accepted (= sent). */
    public static final String ACCEPTED_REQUEST_ID = "LineAcceptedRequestId";
    /** Out: the IDs of the messages a push sent ({@code sentMessages[].id}), a List of String. */
    public static final String SENT_MESSAGE_IDS = "LineSentMessageIds";
    /**
     * Out: when the request was handed to the connection to LINE (epoch milliseconds, a Long), taken right before
     * it is written; absent when it never got a connection. Also set when the call failed.
     */
    public static final String SENT_AT = "LineSentAt";
    /**
     * Out: when LINE's answer (of any status) began to arrive (epoch milliseconds, a Long), taken on the connection's
     * thread; absent when no answer came (connection refused or reset, time-out). Also set when the call failed.
     */
    public static final String ANSWERED_AT = "LineAnsweredAt";
    /**
     * Out, an exchange property: the same two moments on the monotonic clock ({@link System#nanoTime()}), a
     * {@code long[] {sent, answered}}, for measuring the round trip; absent when no answer came.
     */
    public static final String ROUND_TRIP_TIMES = "LineRoundTripTimes";
    /** Out: the narrowcast's last known phase (waiting, sending, succeeded, failed). */
    public static final String NARROWCAST_PHASE = "LineNarrowcastPhase";

    private LineConstants() {
    }
}
