package io.linehub;

import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;

/**
 * The hub's settings, read once from Camel's properties (config/application.properties, where each one
 * defaults to an environment variable) so that every other class gets plain values.
 */
public record HubSettings(
        int httpPort,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        long dbH2HousekeepingMs,
        String customerDbUrl,
        String customerDbUser,
        String customerDbPassword,
        String lineApiBaseUrl,
        String lineChannelAccessToken,
        String lineChannelSecret,
        String lineChannelCountry,
        String lineChannelLanguage,
        boolean lineChannelBuddhistEra,
        boolean lineChannelFlexibleApproved,
        boolean lineChannelJapaneseEra,
        boolean lineChannelRocYear,
        String defaultRegion,
        String sandboxMode,
        int sandboxPort,
        long sandboxDeliveryDelayMs,
        double sandboxUndeliveredShare,
        boolean sandboxAcceptAllNumbers,
        java.util.Set<String> sandboxTemplateKeys,
        boolean demoEnabled,
        String publicUrl,
        int deliveryBatchSize,
        long deliveryLeaseSeconds,
        int deliveryMaxAttempts,
        java.time.Duration deliveryRetryWindow,
        int deliveryHourlyBudget,
        java.time.Duration deliveryPackingWindow,
        java.time.Duration deliveryUncertainAfter,
        String deliveryUncertainPolicy,
        java.time.Duration deliveryUndeliveredAfter,
        int deliveryRatePerSecond,
        String deliveryRateWindow,
        long deliveryRateMarginMs,
        int deliveryReplyThreads,
        int lineMaxConnections,
        String templatesDir,
        long templatesReloadSeconds,
        String channelsFile,
        long sandboxTokenLifetimeSeconds) {

    /** A comma-separated list of keys (blank: none). */
    private static java.util.Set<String> keys(String list) {
        if (list == null || list.isBlank()) {
            return java.util.Set.of();
        }
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    static HubSettings from(PropertiesComponent p) {
        return new HubSettings(
                Integer.parseInt(required(p, "hub.http.port")),
                Path.of(required(p, "hub.data.dir")),
                optional(p, "hub.db.url"),
                optional(p, "hub.db.user"),
                optional(p, "hub.db.password"),
                Integer.parseInt(required(p, "hub.db.pool-size")),
                Long.parseLong(required(p, "hub.db.h2-housekeeping-ms")),
                optional(p, "hub.customer.db.url"),
                optional(p, "hub.customer.db.user"),
                optional(p, "hub.customer.db.password"),
                optional(p, "line.api.base.url"),
                optional(p, "line.channel.access.token"),
                optional(p, "line.channel.secret"),
                required(p, "line.channel.country"),
                required(p, "line.channel.language"),
                io.linehub.template.RenderOptions.defaultBuddhistEra(optional(p, "line.channel.buddhist-era"), required(p, "line.channel.country")),
                Boolean.parseBoolean(required(p, "line.channel.flexible-approved")),
                Boolean.parseBoolean(required(p, "line.channel.japanese-era")),
                Boolean.parseBoolean(required(p, "line.channel.roc-year")),
                required(p, "hub.default.region"),
                required(p, "hub.sandbox"),
                Integer.parseInt(required(p, "hub.sandbox.port")),
                Long.parseLong(required(p, "hub.sandbox.delivery-delay-ms")),
                Double.parseDouble(required(p, "hub.sandbox.undelivered-share")),
                Boolean.parseBoolean(required(p, "hub.sandbox.accept-all-numbers")),
                keys(optional(p, "hub.sandbox.template-keys")),
                Boolean.parseBoolean(required(p, "hub.demo.enabled")),
                optional(p, "hub.public.url"),
                Integer.parseInt(required(p, "hub.delivery.batch-size")),
                Long.parseLong(required(p, "hub.delivery.lease-seconds")),
                Integer.parseInt(required(p, "hub.delivery.max-attempts")),
                java.time.Duration.parse(required(p, "hub.delivery.retry-window")),
                Integer.parseInt(required(p, "hub.delivery.hourly-budget")),
                java.time.Duration.parse(required(p, "hub.delivery.packing-window")),
                java.time.Duration.parse(required(p, "hub.delivery.uncertain-after")),
                required(p, "hub.delivery.uncertain-policy"),
                java.time.Duration.parse(required(p, "hub.delivery.undelivered-after")),
                Integer.parseInt(required(p, "hub.delivery.rate-per-second")),
                required(p, "hub.delivery.rate-window"),
                Long.parseLong(required(p, "hub.delivery.rate-margin-ms")),
                Integer.parseInt(required(p, "hub.delivery.reply-threads")),
                Integer.parseInt(required(p, "hub.line.max-connections")),
                required(p, "hub.templates.dir"),
                Long.parseLong(required(p, "hub.templates.reload-seconds")),
                required(p, "hub.channels.file"),
                Long.parseLong(required(p, "hub.sandbox.token-lifetime-seconds")));
    }

    /**
     * Whether the hub runs against its own LINE sandbox: HUB_SANDBOX=on, or auto without LINE credentials (neither
     * LINE_CHANNEL_ACCESS_TOKEN nor a channels file, whose every entry has its credentials).
     */
    boolean sandboxActive(boolean channelsFileGiven) {
        return switch (sandboxMode) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> lineChannelAccessToken == null && !channelsFileGiven;
            default -> throw new IllegalArgumentException("HUB_SANDBOX must be auto, on or off, was '" + sandboxMode + "'");
        };
    }

    /** hub.delivery.rate-window: after-answer or estimated-arrival. */
    io.linehub.outbox.RateBudgets.Window rateWindow() {
        return switch (deliveryRateWindow.toLowerCase(java.util.Locale.ROOT)) {
            case "after-answer" -> io.linehub.outbox.RateBudgets.Window.AFTER_ANSWER;
            case "estimated-arrival" -> io.linehub.outbox.RateBudgets.Window.ESTIMATED_ARRIVAL;
            default -> throw new IllegalArgumentException("HUB_DELIVERY_RATE_WINDOW must be after-answer or estimated-arrival, was '" + deliveryRateWindow + "'");
        };
    }

    /** A setting that must have a value (after trimming); the error names the key. Also used by TriggerSettings. */
    static String required(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("setting " + key + " is missing"));
    }

    private static String optional(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    }
}
