package io.linehub.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /observe/metrics} (routes/observe.camel.yaml): every meter of the hub's registry in Prometheus' text
 * format (0.0.4), or OpenMetrics when the scraper asks for it in {@code Accept}.
 */
public final class PrometheusScrape {

    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final MeterRegistry registry;

    public PrometheusScrape(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Whether metrics are on (the registry is Prometheus', not the no-op one used with HUB_METRICS_ENABLED=false). */
    public boolean enabled() {
        return registry instanceof PrometheusMeterRegistry;
    }

    public void scrape(Exchange exchange) {
        Message m = exchange.getMessage();
        String accept = m.getHeader("Accept", String.class);
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_004;
        String text = ((PrometheusMeterRegistry) registry).scrape(type);
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, type);
        m.setBody(text);
    }
}
