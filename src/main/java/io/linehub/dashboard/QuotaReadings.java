package io.linehub.dashboard;

import io.linehub.line.LineConstants;
import io.linehub.line.model.MessageQuotaResponse;
import io.linehub.line.model.QuotaConsumptionResponse;
import org.apache.camel.ProducerTemplate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The month's quota left per channel for the overview, from LINE's quota endpoints through {@code line:quota} and
 * {@code line:quota-consumption}, read at most once a minute per channel: the page never waits on LINE more often.
 */
class QuotaReadings {

    static final long CACHE_MILLIS = 60_000;

    private final ProducerTemplate producer;
    private final Map<String, Object[]> cache = new ConcurrentHashMap<>();

    QuotaReadings(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** "12,345 of 15,000 left", "unlimited", or "unknown: …" when LINE could not be asked. */
    String left(String channel) {
        Object[] c = cache.get(channel);
        if (c != null && System.currentTimeMillis() - (Long) c[1] < CACHE_MILLIS) {
            return (String) c[0];
        }
        String text = read(channel);
        cache.put(channel, new Object[]{text, System.currentTimeMillis()});
        return text;
    }

    private String read(String channel) {
        try {
            MessageQuotaResponse quota = producer.requestBodyAndHeader("line:quota", null, LineConstants.CHANNEL, channel, MessageQuotaResponse.class);
            if (quota == null || !"limited".equals(quota.type()) || quota.value() == null) {
                return "unlimited";
            }
            QuotaConsumptionResponse used = producer.requestBodyAndHeader("line:quota-consumption", null, LineConstants.CHANNEL, channel,
                    QuotaConsumptionResponse.class);
            long usage = used == null || used.totalUsage() == null ? 0 : used.totalUsage();
            return String.format("%,d of %,d left", Math.max(0, quota.value() - usage), quota.value());
        } catch (RuntimeException e) {
            return "unknown: LINE's quota could not be read (" + e.getClass().getSimpleName() + ")";
        }
    }
}
