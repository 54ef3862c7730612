package io.linehub.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the webhooks the sandbox sends, as LINE does (README §10.2): {@code x-line-signature} =
 * Base64(HMAC-SHA256(key = channel secret, data = raw body bytes)). Kept apart from the hub's own verifier on
 * purpose: the sandbox is an independent implementation of LINE.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static String sign(String channelSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(channelSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }
}
