package io.linehub.line;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * The options of one {@code line:} endpoint, e.g. {@code line:push?channel=acme&retryKey=auto}. None of them holds a
 * credential: the channel's access token and secret are the component's ({@link LineComponent#setChannels}), and an
 * endpoint names its channel only.
 */
@UriParams
public class LineConfiguration {

    static final String RETRY_KEY_AUTO = "auto";
    static final String RETRY_KEY_NONE = "none";

    @UriPath(description = "The LINE operation: pnp-template, pnp-flex, push, multicast, broadcast, narrowcast,"
            + " narrowcast-progress, quota, quota-consumption, pnp-template-stats, pnp-flex-stats",
            enums = "pnp-template,pnp-flex,push,multicast,broadcast,narrowcast,narrowcast-progress,quota,quota-consumption,"
                    + "pnp-template-stats,pnp-flex-stats")
    @Metadata(required = true)
    private LineOperation operation;

    @UriParam(label = "producer", defaultValue = "default",
              description = "Name of the configured LINE channel (LINE Official Account) to send through; the "
                            + LineConstants.CHANNEL + " header overrides it")
    private String channel = "default";

    @UriParam(label = "producer,timeout", defaultValue = "10000", javaType = "long",
              description = "How long to wait for LINE's answer, in milliseconds")
    private long requestTimeout = 10_000;

    @UriParam(label = "producer",
              description = "Set notificationDisabled in the request (push, multicast, broadcast, narrowcast, pnp-flex):"
                            + " the user gets no push notification")
    private Boolean notificationDisabled;

    @UriParam(label = "producer",
              description = "X-Line-Delivery-Tag for LINE notification messages (16-100 characters); the "
                            + LineConstants.DELIVERY_TAG + " header overrides it")
    private String deliveryTag;

    @UriParam(label = "producer", enums = RETRY_KEY_AUTO + "," + RETRY_KEY_NONE, defaultValue = RETRY_KEY_NONE,
              description = "X-Line-Retry-Key (push, multicast, broadcast, narrowcast only): 'auto' generates a UUID when the "
                            + LineConstants.RETRY_KEY + " header has none; the key used is returned in that header so a retry"
                            + " can reuse it")
    private String retryKey = RETRY_KEY_NONE;

    @UriParam(label = "producer,narrowcast", defaultValue = "false",
              description = "narrowcast: poll the progress endpoint until the narrowcast succeeded or failed")
    private boolean waitForCompletion;

    @UriParam(label = "producer,narrowcast", defaultValue = "5000", javaType = "long",
              description = "narrowcast with waitForCompletion: milliseconds between progress polls")
    private long progressInterval = 5000;

    @UriParam(label = "producer,narrowcast", defaultValue = "3600000", javaType = "long",
              description = "narrowcast with waitForCompletion: give up polling after this many milliseconds")
    private long progressTimeout = 3_600_000;

    public LineOperation getOperation() {
        return operation;
    }

    /** Set from the URI's path only: no setter, so {@code ?operation=} is an unknown option, as it always was. */
    void operation(LineOperation operation) {
        this.operation = operation;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Boolean getNotificationDisabled() {
        return notificationDisabled;
    }

    public void setNotificationDisabled(Boolean notificationDisabled) {
        this.notificationDisabled = notificationDisabled;
    }

    public String getDeliveryTag() {
        return deliveryTag;
    }

    public void setDeliveryTag(String deliveryTag) {
        this.deliveryTag = deliveryTag;
    }

    public String getRetryKey() {
        return retryKey;
    }

    public void setRetryKey(String retryKey) {
        if (!RETRY_KEY_AUTO.equals(retryKey) && !RETRY_KEY_NONE.equals(retryKey)) {
            throw new IllegalArgumentException("retryKey must be auto or none; give a key of your own in the "
                    + LineConstants.RETRY_KEY + " header");
        }
        this.retryKey = retryKey;
    }

    /** Whether the endpoint generates a retry key when the message brings none ({@code retryKey=auto}). */
    public boolean generatesRetryKey() {
        return RETRY_KEY_AUTO.equals(retryKey);
    }

    public boolean isWaitForCompletion() {
        return waitForCompletion;
    }

    public void setWaitForCompletion(boolean waitForCompletion) {
        this.waitForCompletion = waitForCompletion;
    }

    public long getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(long progressInterval) {
        this.progressInterval = progressInterval;
    }

    public long getProgressTimeout() {
        return progressTimeout;
    }

    public void setProgressTimeout(long progressTimeout) {
        this.progressTimeout = progressTimeout;
    }
}
