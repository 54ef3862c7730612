package io.linehub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.linehub.friends.FriendStatus;
import io.linehub.json.Json;
import io.linehub.line.LineChannel;
import io.linehub.line.LineChannels;
import io.linehub.line.LineOperation;
import io.linehub.outbox.EnqueueResult;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.Outbox;
import io.linehub.phone.InvalidPhoneNumberException;
import io.linehub.phone.PhoneNumbers;
import io.linehub.template.RenderOptions;
import io.linehub.template.LinePayloads;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The steps of the one intake path every trigger feeds ({@code direct:intake}): validate the request, take
 * the customer's phone data, normalise and hash the number, render LINE's request, store it in the outbox.
 * Each step refuses bad input with a {@link RequestRejectedException} naming the field.
 */
public class NotificationIntake {

    /** Header the customer lookup reads (the SQL's {@code :#customerId}). */
    public static final String CUSTOMER_ID = "customerId";
    /** Header the customer lookup writes: the row as a map, or null. */
    public static final String CUSTOMER_ROW = "HubCustomer";

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_TYPE = 64;
    static final int MAX_CUSTOMER_ID = 64;
    static final int MAX_IDEMPOTENCY_KEY = 200;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CUSTOMER_ID_CHARS = Pattern.compile("[A-Za-z0-9._:@-]+");
    private static final Set<String> TOP_LEVEL = Set.of("type", "to", "data", "channel", "language");
    private static final Set<String> TO_FIELDS = Set.of("customerId", "phone", "userId", "userIds", "audienceGroupId");
    /** The channels a request may ask for (DESIGN §2); auto lets the policy in routes/intake.camel.yaml choose. */
    public static final Set<String> CHANNELS = Set.of("auto", "template", "flex", "push", "multicast", "broadcast", "narrowcast");
    private static final Pattern USER_ID = Pattern.compile("U[0-9a-f]{32}");
    private static final Set<String> LANGUAGES = Set.of("th", "en", "ja", "zh-TW");
    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);

    private final LinePayloads payloads;
    private final Outbox outbox;
    private final LineChannels channels;
    private final FriendStatus friends;
    private final String defaultRegion;
    private final String defaultChannel;

    public NotificationIntake(LinePayloads payloads, Outbox outbox, LineChannels channels, FriendStatus friends, String defaultRegion,
                              String defaultChannel) {
        this.payloads = payloads;
        this.friends = friends;
        this.outbox = outbox;
        this.channels = channels;
        this.defaultRegion = defaultRegion;
        this.defaultChannel = defaultChannel;
    }

    /** Step 1: the request JSON, checked field by field. Sets the customerId header when the recipient is a customer. */
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
            root = Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new RequestRejectedException("body", "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw new RequestRejectedException("body", "could not be read");
        }
        PendingNotification n = fromJson(root);
        String key = m.getHeader("Idempotency-Key", String.class);
        if (key != null) {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
                throw new RequestRejectedException("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
            }
            n.idempotencyKey = key;
        }
        n.requestDigest = sha256(Json.write(root));
        m.removeHeaders("*");
        if (n.customerId != null) {
            m.setHeader(CUSTOMER_ID, n.customerId);
        }
        m.setBody(n);
    }

    /** Validates one notification in the API's JSON form (also used by file and batch triggers). */
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
        n.deliveryChannel = root.hasNonNull("channel") ? requiredText(root, "channel", 16) : "auto";
        if (!CHANNELS.contains(n.deliveryChannel)) {
            throw new RequestRejectedException("channel", "'" + n.deliveryChannel + "' is not a channel; use one of " + new java.util.TreeSet<>(CHANNELS));
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
        n.lineChannel = defaultChannel;
        return n;
    }

    /** Who the notification is for; which recipient forms fit which channel. */
    private static void readRecipient(JsonNode to, PendingNotification n) {
        boolean everyone = n.deliveryChannel.equals("broadcast");
        if (to == null || to.isNull()) {
            if (everyone) {
                return;
            }
            throw new RequestRejectedException("to", "is required: give {\"customerId\": …}, {\"phone\": …}, {\"userId\": …}, {\"userIds\": […]}"
                    + " or {\"audienceGroupId\": …}");
        }
        if (!to.isObject()) {
            throw new RequestRejectedException("to", "must be an object such as {\"customerId\": …}");
        }
        if (everyone) {
            throw new RequestRejectedException("to", "a broadcast goes to every friend of the channel: leave to out");
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
        switch (given.get(0)) {
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
                if (!id.canConvertToLong() || id.asLong() <= 0) {
                    throw new RequestRejectedException("to.audienceGroupId", "must be LINE's audience group ID (a positive number)");
                }
                n.audienceGroupId = id.asLong();
            }
        }
        String channel = n.deliveryChannel;
        boolean fits = switch (given.get(0)) {
            case "customerId" -> Set.of("auto", "template", "flex", "push").contains(channel);
            case "phone" -> Set.of("auto", "template", "flex").contains(channel);
            case "userId" -> Set.of("auto", "push").contains(channel);
            case "userIds" -> Set.of("auto", "multicast").contains(channel);
            default -> Set.of("auto", "narrowcast").contains(channel);
        };
        if (!fits) {
            throw new RequestRejectedException("channel", "'" + channel + "' cannot reach to." + given.get(0));
        }
    }

    private static String userId(String value, String field) {
        if (!USER_ID.matcher(value).matches()) {
            throw new RequestRejectedException(field, "is not a LINE user ID (U followed by 32 hex digits)");
        }
        return value;
    }

    /** Step 2 (customers only): the row the customer lookup found, or a 400 when there is none. */
    public void applyCustomer(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message m = exchange.getMessage();
        PendingNotification n = m.getMandatoryBody(PendingNotification.class);
        if (n.customerId == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> row = m.getHeader(CUSTOMER_ROW, Map.class);
        m.removeHeader(CUSTOMER_ROW);
        if (row == null) {
            throw new RequestRejectedException("to.customerId", "no customer with this id");
        }
        Map<String, Object> c = lowerCaseKeys(row);
        n.rawPhone = (String) c.get("phone");
        n.phoneField = "to.customerId";
        Object uid = c.get("line_user_id");
        if (uid instanceof String u && USER_ID.matcher(u).matches()) {
            n.userId = u;
            Optional<FriendStatus.Status> known = friends.status(n.lineChannel, u);
            n.friend = known.map(st -> st == FriendStatus.Status.FOLLOWING).orElse(Boolean.TRUE.equals(c.get("is_friend")));
        }
        n.region = (String) c.get("country_code");
        if (n.language == null) {
            n.language = (String) c.get("language");
        }
        n.timeZone = (String) c.get("time_zone");
    }

    /**
     * Step 3: the facts the channel policy decides on. A number is normalised to E.164 with libphonenumber,
     * hashed as LINE wants and masked; the raw number is dropped. A number given in the request must be usable
     * (400 otherwise); a customer's unusable number is only a fact (they may be reached by user ID).
     */
    public void resolveRecipient(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        if (n.rawPhone != null && !n.rawPhone.isBlank()) {
            String region = n.region != null && !n.region.isBlank() ? n.region : defaultRegion;
            try {
                String e164 = PhoneNumbers.toE164(n.rawPhone, region);
                String country = PhoneNumbers.regionOf(e164);
                n.recipientMasked = PhoneNumbers.mask(e164);
                n.recipientCountry = country;
                if (PhoneNumbers.LON_REGIONS.contains(country)) {
                    n.recipientHash = PhoneNumbers.hash(e164);
                } else {
                    n.phoneProblem = "the number is from " + country + "; LINE notification messages reach only numbers from Japan, Thailand and Taiwan";
                }
            } catch (InvalidPhoneNumberException e) {
                n.phoneProblem = (n.phoneField.equals("to.phone") ? "" : "the customer's phone number ") + e.getMessage();
            }
        } else if (n.customerId != null) {
            n.phoneProblem = "the customer has no phone number";
        }
        n.rawPhone = null;
        if (n.phoneProblem != null && "to.phone".equals(n.phoneField)) {
            throw new RequestRejectedException("to.phone", n.phoneProblem);
        }
        Message m = exchange.getMessage();
        m.setHeader("HubRequestedChannel", n.deliveryChannel);
        // a user ID given in the request is taken as the caller's word that the user can receive a push
        m.setHeader("HubFriend", n.userId != null && (n.customerId == null || n.friend));
        m.setHeader("HubAudience", n.audienceGroupId != null);
        m.setHeader("HubUserIds", n.userIds != null);
        m.setHeader("HubLonReachable", n.isLonReachable());
    }

    // ---- the channel policy's outcomes (routes/intake.camel.yaml decides which) ----

    /** LINE notification message (template, or flexible when asked for) by hashed phone number. */
    public void lon(Exchange exchange, String reason) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        if (!n.isLonReachable()) {
            throw new RequestRejectedException(n.phoneField != null ? n.phoneField : "to", n.phoneProblem != null ? n.phoneProblem
                    : "no phone number to reach by LINE notification message");
        }
        n.operation = n.deliveryChannel.equals("flex") ? LineOperation.PNP_FLEX.uriName() : LineOperation.PNP_TEMPLATE.uriName();
        n.decision = reason;
        RenderOptions o = renderOptions(n);
        n.lineRequest = n.operation.equals("pnp-flex") ? payloads.lonFlex(n.recipientHash, n.type, n.data, o)
                : payloads.lonTemplate(n.recipientHash, n.type, n.data, o);
    }

    /** Push to the LINE user ID (given, or the customer's). */
    public void push(Exchange exchange, String reason) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        if (n.userId == null) {
            throw new RequestRejectedException(n.customerId != null ? "to.customerId" : "to", "the customer has no LINE user ID; push needs one");
        }
        n.operation = LineOperation.PUSH.uriName();
        n.decision = reason;
        n.lineRequest = payloads.push(n.userId, n.type, n.data, renderOptions(n));
        n.retryKey = UUID.randomUUID().toString();
        n.contentDigest = sha256(Json.write(n.lineRequest.get("messages")));
    }

    /** Multicast to the user IDs given. */
    public void multicast(Exchange exchange, String reason) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        n.operation = LineOperation.MULTICAST.uriName();
        n.decision = reason;
        n.lineRequest = payloads.multicast(n.userIds, n.type, n.data, renderOptions(n));
        n.retryKey = UUID.randomUUID().toString();
    }

    /** Broadcast to every friend of the channel. */
    public void broadcast(Exchange exchange, String reason) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        n.operation = LineOperation.BROADCAST.uriName();
        n.decision = reason;
        n.lineRequest = payloads.broadcast(n.type, n.data, renderOptions(n));
        n.retryKey = UUID.randomUUID().toString();
    }

    /** Narrowcast to an audience. */
    public void narrowcast(Exchange exchange, String reason) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        if (n.audienceGroupId == null) {
            throw new RequestRejectedException("to.audienceGroupId", "a narrowcast needs LINE's audience group ID");
        }
        n.operation = LineOperation.NARROWCAST.uriName();
        n.decision = reason;
        var body = payloads.broadcast(n.type, n.data, renderOptions(n));
        body.putObject("recipient").put("type", "audience").put("audienceGroupId", n.audienceGroupId);
        n.lineRequest = body;
        n.retryKey = UUID.randomUUID().toString();
    }

    /** Nothing reaches the customer: refuse with the reasons (422). */
    public void unreachable(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        String why = (n.userId == null ? "no LINE user ID known" : "not a friend of the channel")
                + "; " + (n.phoneProblem != null ? n.phoneProblem : "no phone number");
        throw new RequestRejectedException(RequestRejectedException.Kind.UNREACHABLE, n.customerId != null ? "to.customerId" : "to", "LINE cannot reach this customer: " + why);
    }

    private RenderOptions renderOptions(PendingNotification n) {
        LineChannel channel = channels.get(n.lineChannel);
        if (n.language == null || !RenderOptions.LANGUAGES.contains(n.language)) {
            n.language = channel.defaultLanguage();
        }
        return new RenderOptions(n.language, channel.country(), zoneOf(n.timeZone, n.recipientCountry), channel.buddhistEra());
    }

    /** Step 4 (before the policy): the business data fit the type's template, so a bad notification is refused early. */
    public void validate(PendingNotification n) {
        payloads.renderer().validate(n.type, n.data);
    }

    /** Step 5: the outbox row; from here on nothing is lost. */
    public EnqueueResult queue(PendingNotification n) {
        NewNotification row = toOutbox(n);
        EnqueueResult result = outbox.enqueue(row);
        logQueued(result, row);
        return result;
    }

    /** Step 5 for a trigger that stores in batches: the notification waits in the trigger's batch until its next flush. */
    public IntakeBatch.Slot queueInBatch(PendingNotification n, @ExchangeProperty(IntakeBatch.PROPERTY) IntakeBatch batch) {
        return batch.add(toOutbox(n));
    }

    private static NewNotification toOutbox(PendingNotification n) {
        boolean lon = n.operation.startsWith("pnp-");
        return new NewNotification(n.type, n.lineChannel, n.operation, n.customerId, lon ? n.recipientHash : null, n.recipientMasked,
                n.recipientCountry, n.language, Json.write(n.data), Json.write(n.lineRequest), n.idempotencyKey, n.requestDigest,
                n.operation.equals("push") ? n.userId : null, n.retryKey, n.contentDigest, n.decision);
    }

    /** The one log line of a newly stored notification (never the recipient). */
    static void logQueued(EnqueueResult result, NewNotification n) {
        if (result.created()) {
            LOG.info("notification {} queued: {} via {} ({})", result.id(), n.type(), n.lineOperation(), n.channelDecision());
        }
    }

    /** Step 6: 202 with the id. */
    public void accepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        EnqueueResult r = exchange.getMessage().getMandatoryBody(EnqueueResult.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", r.id());
        body.put("status", r.status().name());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Location", "/api/notifications/" + r.id());
        exchange.getMessage().setBody(Json.write(body));
    }

    private static ZoneId zoneOf(String timeZone, String country) {
        if (timeZone != null && !timeZone.isBlank()) {
            try {
                return ZoneId.of(timeZone);
            } catch (DateTimeException ignored) {
                // fall back to the country's zone
            }
        }
        return LinePayloads.defaultZone(country);
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

    private static Map<String, Object> lowerCaseKeys(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
