package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

/** Settings of the triggers (inbox, ERP poller) and the customer cache, read once like {@link HubSettings}. */
record TriggerSettings(
        int inboxCheckpointRows,
        long inboxLockMaxAgeMs,
        long filesRecentHours,
        String erpTable,
        long erpClaimTimeoutSeconds,
        long customerCacheTtlSeconds,
        long customerCacheSize) {

    static TriggerSettings from(PropertiesComponent p) {
        return new TriggerSettings(
                Integer.parseInt(HubSettings.required(p, "hub.inbox.checkpoint-rows")),
                Long.parseLong(HubSettings.required(p, "hub.inbox.lock-max-age-ms")),
                Long.parseLong(HubSettings.required(p, "hub.files.recent-hours")),
                HubSettings.required(p, "hub.erp.table"),
                Long.parseLong(HubSettings.required(p, "hub.erp.claim-timeout-seconds")),
                Long.parseLong(HubSettings.required(p, "hub.customer.cache-ttl-seconds")),
                Long.parseLong(HubSettings.required(p, "hub.customer.cache-size")));
    }
}
