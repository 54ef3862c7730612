package io.linehub.line;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/** LINE's webhook signature: Base64(HMAC-SHA256(channel secret, raw body bytes)). */
public final class LineSignature {

    private LineSignature() {
    }

    public static String sign(String channelSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(channelSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time check of the {@code x-line-signature} header over the body exactly as received. */
    public static boolean verify(String channelSecret, byte[] body, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank() || channelSecret == null || channelSecret.isEmpty()) {
            return false;
        }
        byte[] expected = sign(channelSecret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
