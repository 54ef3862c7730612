package io.linehub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.api.InvalidRequestException;
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
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The steps of the one intake path every trigger feeds ({@code direct:intake}): validate the request, take
 * the customer's phone data, normalise and hash the number, render LINE's request, store it in the outbox.
 * Each step refuses bad input with an {@link InvalidRequestException} naming the field.
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
    private static final Set<String> TO_FIELDS = Set.of("customerId", "phone");
    private static final Set<String> LANGUAGES = Set.of("th", "en", "ja", "zh-TW");
    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);

    private final LinePayloads payloads;
    private final Outbox outbox;
    private final LineChannels channels;
    private final String defaultRegion;
    private final String defaultChannel;

    public NotificationIntake(LinePayloads payloads, Outbox outbox, LineChannels channels, String defaultRegion, String defaultChannel) {
        this.payloads = payloads;
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
            throw new InvalidRequestException("body", "is empty; send a JSON notification");
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new InvalidRequestException(413, "body", "is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body", "could not be read");
        }
        PendingNotification n = fromJson(root);
        String key = m.getHeader("Idempotency-Key", String.class);
        if (key != null) {
            if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
                throw new InvalidRequestException("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
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
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        rejectUnknown(root, TOP_LEVEL, "");
        PendingNotification n = new PendingNotification();
        n.type = requiredText(root, "type", MAX_TYPE);
        if (!TYPE.matcher(n.type).matches()) {
            throw new InvalidRequestException("type", "must be lower-case letters, digits and underscores");
        }
        JsonNode to = root.get("to");
        if (to == null || to.isNull()) {
            throw new InvalidRequestException("to", "is required: give {\"customerId\": …} or {\"phone\": …}");
        }
        if (!to.isObject()) {
            throw new InvalidRequestException("to", "must be an object with customerId or phone");
        }
        rejectUnknown(to, TO_FIELDS, "to.");
        boolean hasCustomer = to.hasNonNull("customerId");
        boolean hasPhone = to.hasNonNull("phone");
        if (hasCustomer == hasPhone) {
            throw new InvalidRequestException("to", hasCustomer ? "give customerId or phone, not both" : "needs customerId or phone");
        }
        if (hasCustomer) {
            n.customerId = requiredText(to, "customerId", MAX_CUSTOMER_ID, "to.customerId");
            if (!CUSTOMER_ID_CHARS.matcher(n.customerId).matches()) {
                throw new InvalidRequestException("to.customerId", "may contain only letters, digits and . _ : @ -");
            }
        } else {
            n.rawPhone = requiredText(to, "phone", PhoneNumbers.MAX_RAW_LENGTH, "to.phone");
            n.phoneField = "to.phone";
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            throw new InvalidRequestException("data", "is required: the fields of the notification type");
        }
        if (!data.isObject()) {
            throw new InvalidRequestException("data", "must be a JSON object");
        }
        n.data = data;
        n.deliveryChannel = root.hasNonNull("channel") ? requiredText(root, "channel", 16) : "auto";
        if (!n.deliveryChannel.equals("auto") && !n.deliveryChannel.equals("template")) {
            throw new InvalidRequestException("channel", "'" + n.deliveryChannel + "' is not available; use auto or template");
        }
        if (root.hasNonNull("language")) {
            n.language = requiredText(root, "language", 8);
            if (!LANGUAGES.contains(n.language)) {
                throw new InvalidRequestException("language", "must be one of " + LANGUAGES);
            }
        }
        n.lineChannel = defaultChannel;
        return n;
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
            throw new InvalidRequestException("to.customerId", "no customer with this id");
        }
        Map<String, Object> c = lowerCaseKeys(row);
        n.rawPhone = (String) c.get("phone");
        n.phoneField = "to.customerId";
        if (n.rawPhone == null || n.rawPhone.isBlank()) {
            throw new InvalidRequestException("to.customerId", "the customer has no phone number");
        }
        n.region = (String) c.get("country_code");
        if (n.language == null) {
            n.language = (String) c.get("language");
        }
        n.timeZone = (String) c.get("time_zone");
    }

    /** Step 3: E.164 with libphonenumber, then LINE's SHA-256 hash and a masked form. The raw number is dropped. */
    public void resolveRecipient(PendingNotification n) {
        String region = n.region != null && !n.region.isBlank() ? n.region : defaultRegion;
        String e164;
        try {
            e164 = PhoneNumbers.toE164(n.rawPhone, region);
        } catch (InvalidPhoneNumberException e) {
            throw new InvalidRequestException(n.phoneField, (n.phoneField.equals("to.phone") ? "" : "the customer's phone number ") + e.getMessage());
        }
        n.rawPhone = null;
        String country = PhoneNumbers.regionOf(e164);
        if (!PhoneNumbers.LON_REGIONS.contains(country)) {
            throw new InvalidRequestException(n.phoneField, "the number is from " + country
                    + "; LINE notification messages reach only numbers from Japan, Thailand and Taiwan");
        }
        n.recipientHash = PhoneNumbers.hash(e164);
        n.recipientMasked = PhoneNumbers.mask(e164);
        n.recipientCountry = country;
    }

    /** Step 4: LINE's request body, rendered once here so a bad notification is refused before it is queued. */
    public void render(PendingNotification n) {
        LineChannel channel = channels.get(n.lineChannel);
        payloads.renderer().validate(n.type, n.data);
        if (n.language == null || !RenderOptions.LANGUAGES.contains(n.language)) {
            n.language = channel.defaultLanguage();
        }
        ZoneId zone = zoneOf(n.timeZone, n.recipientCountry);
        n.lineRequest = payloads.lonTemplate(n.recipientHash, n.type, n.data,
                new RenderOptions(n.language, channel.country(), zone, channel.buddhistEra()));
    }

    /** Step 5: the outbox row; from here on nothing is lost. */
    public EnqueueResult queue(PendingNotification n) {
        EnqueueResult result = outbox.enqueue(NewNotification.lonTemplate(n.type, n.lineChannel, n.customerId,
                n.recipientHash, n.recipientMasked, n.recipientCountry, n.language, Json.write(n.data), Json.write(n.lineRequest),
                n.idempotencyKey, n.requestDigest));
        if (result.created()) {
            LOG.info("notification {} queued: {} to {} via {}", result.id(), n.type, n.recipientMasked, LineOperation.PNP_TEMPLATE.uriName());
        }
        return result;
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
                throw new InvalidRequestException(prefix + name, "is not a known field");
            }
        }
    }

    private static String requiredText(JsonNode parent, String name, int max) {
        return requiredText(parent, name, max, name);
    }

    private static String requiredText(JsonNode parent, String name, int max, String field) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw new InvalidRequestException(field, "must not be empty");
        }
        if (s.length() > max) {
            throw new InvalidRequestException(field, "is longer than " + max + " characters");
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
