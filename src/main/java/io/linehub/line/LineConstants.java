package io.linehub.line;

/** Names of the Camel message headers the {@code line:} component reads and writes. */
public final class LineConstants {

    /** In: the channel to send through, overriding the endpoint's {@code channel} option. */
    public static final String CHANNEL = "LineChannel";
    /** In: value for {@code X-Line-Delivery-Tag} (LON only, 16–100 characters). */
    public static final String DELIVERY_TAG = "LineDeliveryTag";
    /** In: value for {@code X-Line-Retry-Key} (push, multicast, broadcast, narrowcast only). */
    public static final String RETRY_KEY = "LineRetryKey";
    /** Out: HTTP status LINE answered. */
    public static final String HTTP_STATUS = "LineHttpStatus";
    /** Out: LINE's {@code x-line-request-id}. */
    public static final String REQUEST_ID = "LineRequestId";
    /** Out: LINE's {@code x-line-accepted-request-id} (a 409 for a retry key LINE already accepted). */
    public static final String ACCEPTED_REQUEST_ID = "LineAcceptedRequestId";

    private LineConstants() {
    }
}
