package io.linehub.line;

import java.util.Arrays;

/**
 * The LINE API operations the hub calls, each with LINE's rules for it (shared/line-api README): method and
 * path, whether LINE accepts {@code X-Line-Retry-Key} (push, multicast, broadcast, narrowcast only) and
 * {@code X-Line-Delivery-Tag} (LINE notification messages only), and its rate-limit row.
 */
public enum LineOperation {

    /** LINE notification message (template) by hashed phone number; 202; no retry key. */
    PNP_TEMPLATE("pnp-template", "POST", "/v2/bot/message/pnp/templated/push", false, true, RateLimit.PER_SECOND_2000),
    /** LINE notification message (flexible) by hashed phone number; 200; no retry key. */
    PNP_FLEX("pnp-flex", "POST", "/bot/pnp/push", false, true, RateLimit.PER_SECOND_2000),
    /** Push to one user ID (or group/room); 200 with sentMessages. */
    PUSH("push", "POST", "/v2/bot/message/push", true, false, RateLimit.PER_SECOND_2000),
    /** Multicast to 1–500 user IDs; 200. */
    MULTICAST("multicast", "POST", "/v2/bot/message/multicast", true, false, RateLimit.PER_SECOND_2000),
    /** Broadcast to all friends; 200; 60 per hour. */
    BROADCAST("broadcast", "POST", "/v2/bot/message/broadcast", true, false, RateLimit.PER_HOUR_60),
    /** Narrowcast to an audience or filter; 202, then progress; 60 per hour. */
    NARROWCAST("narrowcast", "POST", "/v2/bot/message/narrowcast", true, false, RateLimit.PER_HOUR_60),
    /** Progress of a narrowcast by its request ID ({@link LineConstants#NARROWCAST_REQUEST_ID}). */
    NARROWCAST_PROGRESS("narrowcast-progress", "GET", "/v2/bot/message/progress/narrowcast", false, false, RateLimit.PER_SECOND_2000),
    /** The month's message quota. */
    QUOTA("quota", "GET", "/v2/bot/message/quota", false, false, RateLimit.PER_SECOND_2000),
    /** Messages sent this month (approximate). */
    QUOTA_CONSUMPTION("quota-consumption", "GET", "/v2/bot/message/quota/consumption", false, false, RateLimit.PER_SECOND_2000),
    /** LINE notification messages (template) delivered on a day ({@link LineConstants#DATE}, yyyyMMdd in UTC+9). */
    PNP_TEMPLATE_STATS("pnp-template-stats", "GET", "/v2/bot/message/delivery/pnp/templated", false, false, RateLimit.PER_SECOND_2000),
    /** LINE notification messages (flexible) delivered on a day ({@link LineConstants#DATE}, yyyyMMdd in UTC+9). */
    PNP_FLEX_STATS("pnp-flex-stats", "GET", "/v2/bot/message/delivery/pnp", false, false, RateLimit.PER_SECOND_2000);

    /** LINE's documented limit for an endpoint, per channel. */
    public enum RateLimit {
        PER_SECOND_2000(2000, 1),
        PER_HOUR_60(60, 3600);

        public final int requests;
        public final int perSeconds;

        RateLimit(int requests, int perSeconds) {
            this.requests = requests;
            this.perSeconds = perSeconds;
        }
    }

    private final String uriName;
    private final String method;
    private final String path;
    private final boolean retryKeySupported;
    private final boolean deliveryTagSupported;
    private final RateLimit rateLimit;

    LineOperation(String uriName, String method, String path, boolean retryKeySupported, boolean deliveryTagSupported, RateLimit rateLimit) {
        this.uriName = uriName;
        this.method = method;
        this.path = path;
        this.retryKeySupported = retryKeySupported;
        this.deliveryTagSupported = deliveryTagSupported;
        this.rateLimit = rateLimit;
    }

    /** The name used in endpoint URIs, e.g. {@code line:pnp-template}. */
    public String uriName() {
        return uriName;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public boolean retryKeySupported() {
        return retryKeySupported;
    }

    public boolean deliveryTagSupported() {
        return deliveryTagSupported;
    }

    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** Whether it sends messages (has a body) rather than reads. */
    public boolean sends() {
        return method.equals("POST");
    }

    /** LINE notification messages, addressed by hashed phone number. */
    public boolean isLon() {
        return this == PNP_TEMPLATE || this == PNP_FLEX;
    }

    public static LineOperation fromUriName(String name) {
        return Arrays.stream(values()).filter(o -> o.uriName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown LINE operation '" + name + "'; known: "
                        + Arrays.stream(values()).map(LineOperation::uriName).toList()));
    }
}
