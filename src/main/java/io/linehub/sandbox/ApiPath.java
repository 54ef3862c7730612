package io.linehub.sandbox;

/**
 * The paths of LINE's Messaging API the sandbox answers (method and path), each with LINE's default rate limit
 * (README §2) and whether it accepts {@code X-Line-Retry-Key} (README §3). The sandbox's side of a LINE endpoint;
 * the hub's client side is {@code io.linehub.line.LineOperation}.
 */
public enum ApiPath {
    PNP_TEMPLATED_PUSH("POST", "/v2/bot/message/pnp/templated/push", EndpointRateLimit.perSecond(2000), false),
    PNP_FLEXIBLE_PUSH("POST", "/bot/pnp/push", EndpointRateLimit.perSecond(2000), false),
    PUSH("POST", "/v2/bot/message/push", EndpointRateLimit.perSecond(2000), true),
    MULTICAST("POST", "/v2/bot/message/multicast", EndpointRateLimit.perSecond(2000), true),
    BROADCAST("POST", "/v2/bot/message/broadcast", EndpointRateLimit.perHour(60), true),
    NARROWCAST("POST", "/v2/bot/message/narrowcast", EndpointRateLimit.perHour(60), true),
    NARROWCAST_PROGRESS("GET", "/v2/bot/message/progress/narrowcast", EndpointRateLimit.perSecond(2000), false),
    QUOTA("GET", "/v2/bot/message/quota", EndpointRateLimit.perSecond(2000), false),
    QUOTA_CONSUMPTION("GET", "/v2/bot/message/quota/consumption", EndpointRateLimit.perSecond(2000), false),
    DELIVERY_PNP_TEMPLATED("GET", "/v2/bot/message/delivery/pnp/templated", EndpointRateLimit.perSecond(2000), false),
    DELIVERY_PNP("GET", "/v2/bot/message/delivery/pnp", EndpointRateLimit.perSecond(2000), false),
    DELIVERY_PUSH("GET", "/v2/bot/message/delivery/push", EndpointRateLimit.perSecond(2000), false),
    DELIVERY_MULTICAST("GET", "/v2/bot/message/delivery/multicast", EndpointRateLimit.perSecond(2000), false),
    DELIVERY_BROADCAST("GET", "/v2/bot/message/delivery/broadcast", EndpointRateLimit.perSecond(2000), false);

    private final String method;
    private final String path;
    private final EndpointRateLimit defaultRateLimit;
    private final boolean retryKeys;

    ApiPath(String method, String path, EndpointRateLimit defaultRateLimit, boolean retryKeys) {
        this.method = method;
        this.path = path;
        this.defaultRateLimit = defaultRateLimit;
        this.retryKeys = retryKeys;
    }

    public String method() { return method; }
    public String path() { return path; }
    public EndpointRateLimit defaultRateLimit() { return defaultRateLimit; }
    public boolean acceptsRetryKey() { return retryKeys; }

    /** The endpoint served at this path (query string ignored), or null. */
    public static ApiPath byPath(String path) {
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        for (ApiPath e : values()) {
            if (e.path.equals(p)) {
                return e;
            }
        }
        return null;
    }
}
