package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.customer.CustomerCache;
import io.linehub.json.Json;
import io.linehub.phone.PhoneNumbers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Step 1 of {@code direct:intake}: the request JSON (the API's form, which every trigger sends), checked field by
 * field into a {@link PendingNotification}. It checks what each field must look like, not which channel may reach
 * which recipient: that is the channel policy's (routes/intake.camel.yaml), which reads the recipient form noted here.
 */
public class NotificationParser {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_TYPE = 64;
    static final int MAX_CUSTOMER_ID = 64;
    static final int MAX_IDEMPOTENCY_KEY = 200;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CUSTOMER_ID_CHARS = Pattern.compile("[A-Za-z0-9._:@-]+");
    private static final Set<String> TOP_LEVEL = Set.of("type", "to", "data", "channel", "via", "language", "sendAt", "expiresAt");
    private static final Set<String> TO_FIELDS = Set.of("customerId", "phone", "userId", "userIds", "audienceGroupId");
    /** The delivery kinds a request may ask for ({@code via}, DESIGN §2); auto lets the policy in routes/intake.camel.yaml choose. */
    public static final Set<String> VIA = Set.of("auto", "template", "flex", "push", "multicast", "broadcast", "narrowcast");
    static final Pattern USER_ID = Pattern.compile("U[0-9a-f]{32}");
    private static final Set<String> LANGUAGES = Set.of("th", "en", "ja", "zh-TW");

    private final Set<String> channels;

    /** @param channels the names of the configured LINE channels ({@code channel} must be one of them) */
    public NotificationParser(Set<String> channels) {
        this.channels = Set.copyOf(channels);
    }

    /** The request JSON, checked field by field. Sets the customerId header when the recipient is a customer. */
    public void parse(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] raw = m.getBody(byte[].class);
        if (raw == null || raw.length == 0) {
            throw new RequestRejectedException("body", "is empty; send a JSON notification");
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = Json.readUntrusted(raw);
        } catch (Json.UntrustedJsonException e) {
            throw new RequestRejectedException(e.field(), e.reason());
        }
        PendingNotification n = accept(root, m.getHeader("Idempotency-Key", String.class), Json.write(root));
        m.removeHeaders("*");
        if (n.customerId != null) {
            m.setHeader(HubHeaders.CUSTOMER_ID, n.customerId);
        }
        exchange.setProperty(HubHeaders.INTAKE_NOTIFICATION, n);
        m.setBody(n);
    }

    /**
     * A row of a file's chunk ({@link IntakeChunk}): the request as a JSON tree the row reader built, checked as
     * {@link #parse} checks a request body (size, text, fields, idempotency key) without writing and reading it again.
     */
    PendingNotification parseRow(JsonNode root, String idempotencyKey) {
        try {
            Json.checkText(root, ""); // first: the UTF-8 writer below refuses an unpaired surrogate without naming the field
        } catch (Json.UntrustedJsonException e) {
            throw new RequestRejectedException(e.field(), e.reason());
        }
        // the request's UTF-8 text at once (the same bytes as its JSON text encoded), for the body's limit and the digest
        byte[] json = Json.writeBytes(root);
        if (json.length > MAX_BODY_BYTES) {
            throw new RequestRejectedException(RequestRejectedException.Kind.TOO_LARGE, "body", "is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return acceptDigested(root, idempotencyKey, Sha256.hex(json));
    }

    /** The checked notification, its idempotency key and the digest of its request (the text {@code json} of {@code root}). */
    private PendingNotification accept(JsonNode root, String key, String json) {
        return acceptDigested(root, key, Sha256.hex(json));
    }

    /** The checked notification, its idempotency key and {@code digest}, that of its request's JSON text. */
    private PendingNotification acceptDigested(JsonNode root, String key, String digest) {
        PendingNotification n = fromJson(root);
        if (key != null) {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
                throw new RequestRejectedException("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
            }
            n.idempotencyKey = key;
        }
        n.requestDigest = digest;
        return n;
    }

    /** Validates one notification in the API's JSON form. */
    public PendingNotification fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new RequestRejectedException("body", "must be a JSON object");
        }
        rejectUnknown(root, TOP_LEVEL, "");
        PendingNotification n = new PendingNotification();
        n.type = requiredText(root, "type", MAX_TYPE);
        if (!TYPE.matcher(n.type).matches()) {
            throw new RequestRejectedException("type", "must be lower-case letters, digits and underscores");
        }
        n.via = root.hasNonNull("via") ? requiredText(root, "via", 16) : "auto";
        if (!VIA.contains(n.via)) {
            throw new RequestRejectedException("via", "is not a delivery kind; use one of " + new TreeSet<>(VIA));
        }
        // the LINE channel (Official Account) to send through; none: the routing rule (routes/channel-routing.camel.yaml) picks one
        if (root.hasNonNull("channel")) {
            n.lineChannel = requiredText(root, "channel", 64);
            if (!channels.contains(n.lineChannel)) {
                String name = n.lineChannel;
                n.lineChannel = null;
                throw new RequestRejectedException("channel", VIA.contains(name) && !root.hasNonNull("via")
                        ? "names a LINE channel (one of " + new TreeSet<>(channels) + "); the delivery kind is now \"via\""
                        : "is not a configured LINE channel; use one of " + new TreeSet<>(channels) + ", or leave it out to let the routing rule choose");
            }
        }
        readRecipient(root.get("to"), n);
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            throw new RequestRejectedException("data", "is required: the fields of the notification type");
        }
        if (!data.isObject()) {
            throw new RequestRejectedException("data", "must be a JSON object");
        }
        n.data = data;
        if (root.hasNonNull("language")) {
            n.language = requiredText(root, "language", 8);
            if (!LANGUAGES.contains(n.language)) {
                throw new RequestRejectedException("language", "must be one of " + LANGUAGES);
            }
        }
        n.sendAt = instant(root, "sendAt");
        n.expiresAt = instant(root, "expiresAt");
        return n;
    }

    /**
     * An optional ISO-8601 date-time with an offset ({@code 2026-12-24T09:00:00+07:00} or {@code …Z}). Whether it is
     * in the past or too far ahead is {@link SendSchedule}'s to say (it has the clock). The reason never repeats the value.
     */
    private static java.time.Instant instant(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > 64) {
            throw new RequestRejectedException(field, "must be a string: an ISO-8601 date-time with an offset, e.g. 2026-12-24T09:00:00+07:00");
        }
        try {
            return java.time.OffsetDateTime.parse(v.asText().trim(), java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new RequestRejectedException(field, "is not an ISO-8601 date-time with an offset, e.g. 2026-12-24T09:00:00+07:00");
        }
    }

    /**
     * Who the notification is for, in one of the recipient forms (or none). Whether that form fits the channel
     * asked for is the channel policy's to say (routes/intake.camel.yaml), not the parser's.
     */
    private static void readRecipient(JsonNode to, PendingNotification n) {
        if (to == null || to.isNull()) {
            n.recipientForm = PendingNotification.NO_RECIPIENT;
            return;
        }
        if (!to.isObject()) {
            throw new RequestRejectedException("to", "must be an object such as {\"customerId\": …}");
        }
        rejectUnknown(to, TO_FIELDS, "to.");
        List<String> given = new ArrayList<>();
        to.fieldNames().forEachRemaining(f -> {
            if (!to.get(f).isNull()) {
                given.add(f);
            }
        });
        if (given.size() != 1) {
            throw new RequestRejectedException("to", given.isEmpty() ? "needs one of customerId, phone, userId, userIds, audienceGroupId"
                    : "give one of " + given + ", not several");
        }
        n.recipientForm = given.get(0);
        switch (n.recipientForm) {
            case "customerId" -> {
                n.customerId = requiredText(to, "customerId", MAX_CUSTOMER_ID, "to.customerId");
                if (!CUSTOMER_ID_CHARS.matcher(n.customerId).matches()) {
                    throw new RequestRejectedException("to.customerId", "may contain only letters, digits and . _ : @ -");
                }
            }
            case "phone" -> {
                n.rawPhone = requiredText(to, "phone", PhoneNumbers.MAX_RAW_LENGTH, "to.phone");
                n.phoneField = "to.phone";
            }
            case "userId" -> n.userId = userId(requiredText(to, "userId", 33, "to.userId"), "to.userId");
            case "userIds" -> {
                JsonNode ids = to.get("userIds");
                if (!ids.isArray() || ids.isEmpty() || ids.size() > 500) {
                    throw new RequestRejectedException("to.userIds", "must be a list of 1 to 500 LINE user IDs");
                }
                n.userIds = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    n.userIds.add(userId(ids.get(i).asText(""), "to.userIds[" + i + "]"));
                }
            }
            default -> {
                JsonNode id = to.get("audienceGroupId");
                if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
                    throw new RequestRejectedException("to.audienceGroupId", "must be LINE's audience group ID (a positive whole number)");
                }
                n.audienceGroupId = id.asLong();
            }
        }
    }

    private static String userId(String value, String field) {
        if (!USER_ID.matcher(value).matches()) {
            throw new RequestRejectedException(field, "is not a LINE user ID (U followed by 32 hex digits)");
        }
        return value;
    }

    private static void rejectUnknown(JsonNode object, Set<String> allowed, String prefix) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new RequestRejectedException(prefix + name, "is not a known field");
            }
        }
    }

    private static String requiredText(JsonNode parent, String name, int max) {
        return requiredText(parent, name, max, name);
    }

    private static String requiredText(JsonNode parent, String name, int max, String field) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            throw new RequestRejectedException(field, "is required");
        }
        if (!v.isTextual()) {
            throw new RequestRejectedException(field, "must be a string");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw new RequestRejectedException(field, "must not be empty");
        }
        if (s.length() > max) {
            throw new RequestRejectedException(field, "is longer than " + max + " characters");
        }
        return s;
    }
}
