package io.linehub.outbox;

/**
 * What intake hands to the outbox: everything needed to send, and nothing that identifies the customer in clear.
 *
 * @param lineOperation    the {@code line:} operation (pnp-template, pnp-flex, push, multicast, broadcast, narrowcast)
 * @param recipientHash    SHA-256 of the E.164 number (LON), else null
 * @param recipientUserId  LINE user ID (push), else null
 * @param retryKey         X-Line-Retry-Key for operations that take one, else null
 * @param contentDigest    digest of the messages, so identical pushes can be packed into a multicast
 * @param channelDecision  why this channel was chosen
 * @param templateVersion  the version (content hash) of the template the LINE request was rendered with, or null
 * @param timing           when it may be sent and until when ({@link SendTiming#NOW}: at once, within the retry window)
 * @param via              the delivery kind the request asked for (auto, template, flex, push, …), or null (not recorded)
 */
public record NewNotification(
        String type,
        String channel,
        String lineOperation,
        String customerId,
        String recipientHash,
        String recipientMasked,
        String recipientCountry,
        String language,
        String dataJson,
        String lineRequestJson,
        String idempotencyKey,
        String requestDigest,
        String recipientUserId,
        String retryKey,
        String contentDigest,
        String channelDecision,
        String templateVersion,
        SendTiming timing,
        String via) {

    public NewNotification {
        timing = timing == null ? SendTiming.NOW : timing;
    }

    public NewNotification(String type, String channel, String lineOperation, String customerId, String recipientHash, String recipientMasked,
                           String recipientCountry, String language, String dataJson, String lineRequestJson, String idempotencyKey,
                           String requestDigest, String recipientUserId, String retryKey, String contentDigest, String channelDecision,
                           String templateVersion, SendTiming timing) {
        this(type, channel, lineOperation, customerId, recipientHash, recipientMasked, recipientCountry, language, dataJson, lineRequestJson,
                idempotencyKey, requestDigest, recipientUserId, retryKey, contentDigest, channelDecision, templateVersion, timing, null);
    }

    /** Sent at once (no sendAt, no quiet hours). */
    public NewNotification(String type, String channel, String lineOperation, String customerId, String recipientHash, String recipientMasked,
                           String recipientCountry, String language, String dataJson, String lineRequestJson, String idempotencyKey,
                           String requestDigest, String recipientUserId, String retryKey, String contentDigest, String channelDecision,
                           String templateVersion) {
        this(type, channel, lineOperation, customerId, recipientHash, recipientMasked, recipientCountry, language, dataJson, lineRequestJson,
                idempotencyKey, requestDigest, recipientUserId, retryKey, contentDigest, channelDecision, templateVersion, SendTiming.NOW);
    }

    /** The same notification with this timing. */
    public NewNotification withTiming(SendTiming t) {
        return new NewNotification(type, channel, lineOperation, customerId, recipientHash, recipientMasked, recipientCountry, language, dataJson,
                lineRequestJson, idempotencyKey, requestDigest, recipientUserId, retryKey, contentDigest, channelDecision, templateVersion, t, via);
    }

    /** Without a template version (tests, rows not rendered from a template). */
    public NewNotification(String type, String channel, String lineOperation, String customerId, String recipientHash, String recipientMasked,
                           String recipientCountry, String language, String dataJson, String lineRequestJson, String idempotencyKey,
                           String requestDigest, String recipientUserId, String retryKey, String contentDigest, String channelDecision) {
        this(type, channel, lineOperation, customerId, recipientHash, recipientMasked, recipientCountry, language, dataJson, lineRequestJson,
                idempotencyKey, requestDigest, recipientUserId, retryKey, contentDigest, channelDecision, null, SendTiming.NOW);
    }

    /** A LINE notification message (template) by hashed phone number. */
    public static NewNotification lonTemplate(String type, String channel, String customerId, String recipientHash, String recipientMasked,
                                              String recipientCountry, String language, String dataJson, String lineRequestJson,
                                              String idempotencyKey, String requestDigest) {
        return new NewNotification(type, channel, "pnp-template", customerId, recipientHash, recipientMasked, recipientCountry, language,
                dataJson, lineRequestJson, idempotencyKey, requestDigest, null, null, null, "requested");
    }
}
