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

/** One LINE API operation on one channel. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "line", title = "LINE Messaging API", syntax = "line:operation",
        producerOnly = true, category = {Category.CHAT, Category.CLOUD}, headersClass = LineConstants.class)
public class LineEndpoint extends DefaultEndpoint {

    @UriPath(description = "The LINE operation, e.g. pnp-template")
    @Metadata(required = true)
    private final LineOperation operation;

    @UriParam(description = "Name of the configured LINE channel to send through; the LineChannel header overrides it",
            defaultValue = "default")
    private String channel = "default";

    @UriParam(description = "How long to wait for LINE's answer, in milliseconds", defaultValue = "10000")
    private long requestTimeout = 10_000;

    public LineEndpoint(String uri, LineComponent component, LineOperation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public Producer createProducer() {
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
}
