package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;

/**
 * The API keys' settings (config/application.properties, "API keys"): HUB_API_KEY, how long verified keys are
 * cached, how often their last use is written.
 *
 * @param apiKey the key with every scope, or null
 */
record AuthSettings(String apiKey, Duration cacheTime, Duration lastUsedInterval) {

    static AuthSettings from(PropertiesComponent p) {
        return new AuthSettings(
                p.resolveProperty("hub.api-key").map(String::trim).filter(s -> !s.isBlank()).orElse(null),
                Duration.ofSeconds(Long.parseLong(HubSettings.required(p, "hub.api-key-cache-seconds"))),
                Duration.ofSeconds(Long.parseLong(HubSettings.required(p, "hub.api-key-last-used-seconds"))));
    }

    @Override
    public String toString() {
        return "AuthSettings[apiKey=" + (apiKey == null ? "unset" : "***") + ", cacheTime=" + cacheTime + ", lastUsedInterval=" + lastUsedInterval + "]";
    }
}
