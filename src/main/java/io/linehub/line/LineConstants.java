package io.linehub.line;

import org.apache.camel.spi.Metadata;

/**
 * The one home of the names of the Camel message headers of LINE: those the {@code line:} producer reads and writes
 * (label {@code producer}) and those {@link LineWebhook} sets on each event of LINE's webhook (label {@code webhook}).
 * The {@code headersClass} of {@link LineEndpoint}, as Camel components document their headers. Routes written in
 * YAML use the same names as text ({@code ${header.LineEventType}}): the values never change.
 */
public final class LineConstants {

    // ---- the line: producer -------------------------------------------------------------------------------------

    @Metadata(label = "producer", javaType = "String",
              description = "In: the channel to send through, overriding the endpoint's `channel` option.")
    public static final String CHANNEL = "LineChannel";

    @Metadata(label = "producer", javaType = "String",
              description = "In: value for `X-Line-Delivery-Tag` (LINE notification messages only, 16-100 characters);"
                            + " overrides the `deliveryTag` option.")
    public static final String DELIVERY_TAG = "LineDeliveryTag";

    @Metadata(label = "producer", javaType = "String",
              description = "In: value for `X-Line-Retry-Key` (push, multicast, broadcast, narrowcast only; a UUID). Out: the key"
                            + " used, also when the endpoint generated it (`retryKey=auto`), so it can be stored and reused.")
    public static final String RETRY_KEY = "LineRetryKey";

    @Metadata(label = "producer", javaType = "String",
              description = "In: the narrowcast request ID for `narrowcast-progress`. Out: set by `narrowcast`.")
    public static final String NARROWCAST_REQUEST_ID = "LineNarrowcastRequestId";

    @Metadata(label = "producer", javaType = "String",
              description = "In: the day for the statistics operations, `yyyyMMdd` in UTC+9; default today there.")
    public static final String DATE = "LineDate";

    @Metadata(label = "producer", javaType = "int", description = "Out: the HTTP status LINE answered.")
    public static final String HTTP_STATUS = "LineHttpStatus";

    @Metadata(label = "producer", javaType = "String", description = "Out: LINE's `x-line-request-id`.")
    public static final String REQUEST_ID = "LineRequestId";

    @Metadata(label = "producer", javaType = "String",
              description = "Out: LINE's `x-line-accepted-request-id`: a 409 for a retry key LINE had already accepted (= sent).")
    public static final String ACCEPTED_REQUEST_ID = "LineAcceptedRequestId";

    @Metadata(label = "producer", javaType = "java.util.List<String>",
              description = "Out: the IDs of the messages a push sent (`sentMessages[].id`).")
    public static final String SENT_MESSAGE_IDS = "LineSentMessageIds";

    @Metadata(label = "producer", javaType = "long",
              description = "Out: when the request was handed to the connection to LINE (epoch milliseconds), taken right before"
                            + " it is written; absent when it never got a connection. Also set when the call failed.")
    public static final String SENT_AT = "LineSentAt";

    @Metadata(label = "producer", javaType = "long",
              description = "Out: when LINE's answer (of any status) began to arrive (epoch milliseconds), taken on the connection's"
                            + " thread; absent when no answer came (connection refused or reset, time-out). Also set when the call failed.")
    public static final String ANSWERED_AT = "LineAnsweredAt";

    @Metadata(label = "producer", javaType = "String",
              description = "Out: the narrowcast's last known phase (waiting, sending, succeeded, failed).")
    public static final String NARROWCAST_PHASE = "LineNarrowcastPhase";

    /**
     * Out, an exchange property (not a header, so not in the header metadata): the moments of {@link #SENT_AT} and
     * {@link #ANSWERED_AT} on the monotonic clock ({@link System#nanoTime()}), a {@code long[] {sent, answered}}, for
     * measuring the round trip; absent when no answer came.
     */
    public static final String ROUND_TRIP_TIMES = "LineRoundTripTimes";

    // ---- LINE's webhook (LineWebhook.describe), one event per exchange --------------------------------------------

    @Metadata(label = "webhook", javaType = "String",
              description = "The event's `type` (delivery, follow, unfollow, message, ...); empty when absent.")
    public static final String EVENT_TYPE = "LineEventType";

    @Metadata(label = "webhook", javaType = "String",
              description = "The event's `webhookEventId`, the same on LINE's redeliveries (for dropping duplicates).")
    public static final String WEBHOOK_EVENT_ID = "LineWebhookEventId";

    @Metadata(label = "webhook", javaType = "String",
              description = "A delivery event's `delivery.data`: the delivery tag the LINE notification message was sent with.")
    public static final String DELIVERY_DATA = "LineDeliveryData";

    @Metadata(label = "webhook", javaType = "String", description = "The event's `source.userId`, when it has one.")
    public static final String USER_ID = "LineUserId";

    @Metadata(label = "webhook", javaType = "long", description = "The event's `timestamp` (epoch milliseconds); 0 when absent.")
    public static final String EVENT_TIMESTAMP = "LineEventTimestamp";

    private LineConstants() {
    }
}
