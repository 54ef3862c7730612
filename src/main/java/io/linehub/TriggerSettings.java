package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

/** Settings of the triggers (inbox, ERP poller) and the customer cache, read once like {@link HubSettings}. */
record TriggerSettings(
        int inboxCheckpointRows,
        long inboxLockMaxAgeMs,
        long filesRecentHours,
        long customerCacheTtlSeconds,
        long customerCacheSize) {

    static TriggerSettings from(PropertiesComponent p) {
        return new TriggerSettings(
                Integer.parseInt(HubSettings.required(p, "hub.inbox.checkpoint-rows")),
                Long.parseLong(HubSettings.required(p, "hub.inbox.lock-max-age-ms")),
                Long.parseLong(HubSettings.required(p, "hub.files.recent-hours")),
                Long.parseLong(HubSettings.required(p, "hub.customer.cache-ttl-seconds")),
                Long.parseLong(HubSettings.required(p, "hub.customer.cache-size")));
    }
}
