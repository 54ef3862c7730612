package io.linehub.line;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One LINE API operation on one channel, e.g. {@code line:push?channel=acme&retryKey=auto}. The body is
 * LINE's request (a {@code io.linehub.line.model} record, a JsonNode or JSON text); the answer comes back as
 * the body (typed where LINE answers with data) and as {@link LineConstants} headers.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "line", title = "LINE Messaging API", syntax = "line:operation",
        producerOnly = true, category = {Category.CHAT, Category.CLOUD}, headersClass = LineConstants.class)
public class LineEndpoint extends DefaultEndpoint {

    @UriPath(description = "The LINE operation: pnp-template, pnp-flex, push, multicast, broadcast, narrowcast,"
            + " narrowcast-progress, quota, quota-consumption, pnp-template-stats, pnp-flex-stats")
    @Metadata(required = true)
    private final LineOperation operation;

    @UriParam(description = "Name of the configured LINE channel (LINE Official Account); the LineChannel header overrides it",
            defaultValue = "default")
    private String channel = "default";

    @UriParam(description = "How long to wait for LINE's answer, in milliseconds", defaultValue = "10000")
    private long requestTimeout = 10_000;

    @UriParam(description = "Set notificationDisabled in the request (push, multicast, broadcast, narrowcast, pnp-flex):"
            + " the user gets no push notification")
    private Boolean notificationDisabled;

    @UriParam(description = "X-Line-Delivery-Tag for LINE notification messages (16-100 characters); the LineDeliveryTag header overrides it")
    private String deliveryTag;

    @UriParam(description = "X-Line-Retry-Key (push, multicast, broadcast, narrowcast only): 'auto' generates a UUID when the"
            + " LineRetryKey header has none; the key used is returned in that header so a retry can reuse it", enums = "auto,none",
            defaultValue = "none")
    private String retryKey = "none";

    @UriParam(description = "narrowcast: poll the progress endpoint until the narrowcast succeeded or failed", defaultValue = "false")
    private boolean waitForCompletion;

    @UriParam(description = "narrowcast with waitForCompletion: milliseconds between progress polls", defaultValue = "5000")
    private long progressInterval = 5000;

    @UriParam(description = "narrowcast with waitForCompletion: give up polling after this many milliseconds", defaultValue = "3600000")
    private long progressTimeout = 3_600_000;

    public LineEndpoint(String uri, LineComponent component, LineOperation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public Producer createProducer() {
        if (operation.isLon() && "auto".equals(retryKey)) {
            throw new IllegalArgumentException("LINE does not accept X-Line-Retry-Key on " + operation.uriName() + "; remove retryKey=auto");
        }
        return new LineProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("line: endpoints only send; LINE webhooks arrive on platform-http:/webhook/line/{channel}");
    }

    @Override
    public LineComponent getComponent() {
        return (LineComponent) super.getComponent();
    }

    public LineOperation getOperation() {
        return operation;
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
        if (!"auto".equals(retryKey) && !"none".equals(retryKey)) {
            throw new IllegalArgumentException("retryKey must be auto or none; give a key of your own in the LineRetryKey header");
        }
        this.retryKey = retryKey;
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
