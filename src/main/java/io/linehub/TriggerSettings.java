package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

/** Settings of the triggers (inbox, ERP poller) and the customer cache, read once like {@link HubSettings}. */
record TriggerSettings(
        int inboxCheckpointRows,
        long inboxLockMaxAgeMs,
        String erpTable,
        long erpClaimTimeoutSeconds,
        long customerCacheTtlSeconds,
        long customerCacheSize) {

    static TriggerSettings from(PropertiesComponent p) {
        return new TriggerSettings(
                Integer.parseInt(required(p, "hub.inbox.checkpoint-rows")),
                Long.parseLong(required(p, "hub.inbox.lock-max-age-ms")),
                required(p, "hub.erp.table"),
                Long.parseLong(required(p, "hub.erp.claim-timeout-seconds")),
                Long.parseLong(required(p, "hub.customer.cache-ttl-seconds")),
                Long.parseLong(required(p, "hub.customer.cache-size")));
    }

    private static String required(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("setting " + key + " is missing"));
    }
}
