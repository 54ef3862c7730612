package io.linehub.customer;

import io.linehub.headers.HubHeaders;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Duration;
import java.util.Map;

/**
 * A short-lived cache in front of the customer lookup (intake route): a file or batch with many rows for one
 * customer reads the company database once per TTL. Only found customers are kept; a TTL of 0 turns it off.
 */
public class CustomerCache {


    private final Cache<String, Map<String, Object>> cache;

    public CustomerCache(Duration ttl, long maxSize) {
        this.cache = ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).build();
    }

    /** Sets the HubCustomer header from the cache when the customer was looked up within the TTL. */
    public void get(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(HubHeaders.CUSTOMER_ID, String.class);
        Map<String, Object> row = cache == null || id == null ? null : cache.getIfPresent(id);
        if (row != null) {
            m.setHeader(HubHeaders.CUSTOMER_ROW, row);
        }
    }

    /** The customer's row when it was looked up within the TTL, else null (a file's chunk asks without an exchange). */
    public Map<String, Object> find(String id) {
        return cache == null || id == null ? null : cache.getIfPresent(id);
    }

    /** Keeps the row the lookup found. */
    public void put(Exchange exchange) {
        Message m = exchange.getMessage();
        String id = m.getHeader(HubHeaders.CUSTOMER_ID, String.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = m.getHeader(HubHeaders.CUSTOMER_ROW, Map.class);
        if (cache != null && id != null && row != null) {
            cache.put(id, Map.copyOf(row.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        }
    }
}
