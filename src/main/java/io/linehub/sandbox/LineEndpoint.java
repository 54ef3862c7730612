package io.linehub.sandbox;

/**
 * The LINE endpoints the sandbox serves, with LINE's default rate limit (README §2) and whether they accept
 * {@code X-Line-Retry-Key} (README §3).
 */
public enum LineEndpoint {
    PNP_TEMPLATED_PUSH("POST", "/v2/bot/message/pnp/templated/push", RateLimit.perSecond(2000), false),
    PNP_FLEXIBLE_PUSH("POST", "/bot/pnp/push", RateLimit.perSecond(2000), false),
    PUSH("POST", "/v2/bot/message/push", RateLimit.perSecond(2000), true),
    MULTICAST("POST", "/v2/bot/message/multicast", RateLimit.perSecond(2000), true),
    BROADCAST("POST", "/v2/bot/message/broadcast", RateLimit.perHour(60), true),
    NARROWCAST("POST", "/v2/bot/message/narrowcast", RateLimit.perHour(60), true),
    NARROWCAST_PROGRESS("GET", "/v2/bot/message/progress/narrowcast", RateLimit.perSecond(2000), false),
    QUOTA("GET", "/v2/bot/message/quota", RateLimit.perSecond(2000), false),
    QUOTA_CONSUMPTION("GET", "/v2/bot/message/quota/consumption", RateLimit.perSecond(2000), false),
    DELIVERY_PNP_TEMPLATED("GET", "/v2/bot/message/delivery/pnp/templated", RateLimit.perSecond(2000), false),
    DELIVERY_PNP("GET", "/v2/bot/message/delivery/pnp", RateLimit.perSecond(2000), false),
    DELIVERY_PUSH("GET", "/v2/bot/message/delivery/push", RateLimit.perSecond(2000), false),
    DELIVERY_MULTICAST("GET", "/v2/bot/message/delivery/multicast", RateLimit.perSecond(2000), false),
    DELIVERY_BROADCAST("GET", "/v2/bot/message/delivery/broadcast", RateLimit.perSecond(2000), false);

    private final String method;
    private final String path;
    private final RateLimit defaultRateLimit;
    private final boolean retryKeys;

    LineEndpoint(String method, String path, RateLimit defaultRateLimit, boolean retryKeys) {
        this.method = method;
        this.path = path;
        this.defaultRateLimit = defaultRateLimit;
        this.retryKeys = retryKeys;
    }

    public String method() { return method; }
    public String path() { return path; }
    public RateLimit defaultRateLimit() { return defaultRateLimit; }
    public boolean acceptsRetryKey() { return retryKeys; }

    /** The endpoint served at this path (query string ignored), or null. */
    public static LineEndpoint byPath(String path) {
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        for (LineEndpoint e : values()) {
            if (e.path.equals(p)) {
                return e;
            }
        }
        return null;
    }
}
