package io.linehub.line;

import java.util.Arrays;

/**
 * The LINE API operations the hub calls, each with LINE's rules for it (README of shared/line-api):
 * method and path, whether LINE accepts {@code X-Line-Retry-Key} and {@code X-Line-Delivery-Tag}.
 */
public enum LineOperation {

    /** LINE notification message (template) by hashed phone number; 202 on success; no retry key. */
    PNP_TEMPLATE("pnp-template", "POST", "/v2/bot/message/pnp/templated/push", false, true);

    private final String uriName;
    private final String method;
    private final String path;
    private final boolean retryKeySupported;
    private final boolean deliveryTagSupported;

    LineOperation(String uriName, String method, String path, boolean retryKeySupported, boolean deliveryTagSupported) {
        this.uriName = uriName;
        this.method = method;
        this.path = path;
        this.retryKeySupported = retryKeySupported;
        this.deliveryTagSupported = deliveryTagSupported;
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

    public static LineOperation fromUriName(String name) {
        return Arrays.stream(values()).filter(o -> o.uriName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown LINE operation '" + name + "'; known: "
                        + Arrays.stream(values()).map(LineOperation::uriName).toList()));
    }
}
