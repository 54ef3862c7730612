package io.linehub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification on its way through intake, from the validated request to the outbox row. The raw phone
 * number lives only here, in memory, until it is normalised and hashed; it is never stored or logged.
 */
public final class PendingNotification {

    /** The recipient form of a request without {@code to} (a broadcast goes to every friend). */
    static final String NO_RECIPIENT = "none";

    String type;
    /** The delivery kind asked for: auto, template, flex, push, multicast, broadcast, narrowcast. */
    String via;
    /** The version (content hash) of the template the LINE request was rendered with. */
    String templateVersion;
    /** The LINE channel (Official Account) it goes through: named in the request, else chosen by the routing rule. */
    String lineChannel;
    /** Which recipient form the request used: customerId, phone, userId, userIds, audienceGroupId, or none. */
    String recipientForm;
    String customerId;
    String phoneField;
    String rawPhone;
    String region;
    String language;
    String timeZone;
    JsonNode data;
    String recipientHash;
    String recipientMasked;
    String recipientCountry;
    ObjectNode lineRequest;
    String idempotencyKey;
    String requestDigest;
    /** LINE user ID: given (push), or the customer's. */
    String userId;
    /** Multicast recipients given in the request. */
    java.util.List<String> userIds;
    /** Narrowcast audience. */
    Long audienceGroupId;
    /** The company's data says the customer is a friend (is_friend); the channel's own friend status (LINE's webhooks) wins. */
    boolean customerSaysFriend;
    /** Whether the customer follows the sending channel (its friend status from LINE's webhooks, else the company's data). */
    boolean friend;
    /** The fact the channel policy reads as HubFriend: a LINE user ID that may be pushed to on the sending channel. */
    boolean pushable;
    /** The sending channel is approved by LINE for flexible LINE notification messages (HubFlexApproved). */
    boolean flexApproved;
    /** Why the number cannot be used for a LINE notification message, or null when it can. */
    String phoneProblem;
    /** The chosen LINE operation and why. */
    String operation;
    String decision;
    String retryKey;
    String contentDigest;
    /** Not before this instant ({@code sendAt}), null: as soon as possible. */
    java.time.Instant sendAt;
    /** Not after this instant ({@code expiresAt}), null: the retry window alone. */
    java.time.Instant expiresAt;
    /** When and until when it may be sent, as {@link SendSchedule} worked it out (sendAt, quiet hours, expiresAt). */
    io.linehub.outbox.SendTiming timing;

    /** Whether a LINE notification message can reach the customer (an E.164 number from JP, TH or TW). */
    public boolean isLonReachable() {
        return recipientHash != null && phoneProblem == null;
    }

    /** Never prints the phone number. */
    @Override
    public String toString() {
        return "PendingNotification[type=" + type + ", customerId=" + customerId + ", recipient=" + recipientMasked + "]";
    }
}
