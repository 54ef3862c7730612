package io.linehub.line;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One LINE API operation on one channel, e.g. {@code line:push?channel=acme&retryKey=auto}; its options are a
 * {@link LineConfiguration}. The body is LINE's request (JSON text, a JsonNode, or any record Jackson writes as that
 * JSON); the answer comes back as the body (typed by {@code io.linehub.line.model} where LINE answers with data) and
 * as {@link LineConstants} headers.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "line", title = "LINE Messaging API", syntax = "line:operation",
        producerOnly = true, category = {Category.CHAT, Category.CLOUD}, headersClass = LineConstants.class)
public class LineEndpoint extends DefaultEndpoint {

    @UriParam
    private final LineConfiguration configuration;

    public LineEndpoint(String uri, LineComponent component, LineConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        LineOperation operation = configuration.getOperation();
        if (operation.isLon() && configuration.generatesRetryKey()) {
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

    public LineConfiguration getConfiguration() {
        return configuration;
    }

    public LineOperation getOperation() {
        return configuration.getOperation();
    }
}
