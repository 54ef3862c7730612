package io.linehub.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * The preview of a notification type: the exact LINE request body for each channel and an HTML page, for
 * {@code POST /api/templates/{type}/preview} and {@code java -jar … preview}. Both call {@link #preview}.
 */
public final class TemplatePreview {

    /** Stand-ins where the preview has no recipient: LINE's own example hash and user ID shapes. */
    static final String EXAMPLE_HASH = "<sha256 of the recipient's E.164 number>";
    static final String EXAMPLE_USER_ID = "<LINE user ID>";

    private final TemplateCatalog catalog;
    private final LinePayloads payloads;

    public TemplatePreview(TemplateCatalog catalog, LinePayloads payloads) {
        this.catalog = catalog;
        this.payloads = payloads;
    }

    /** What each template offers: fields, texts' languages, which countries have LINE template keys. */
    public ArrayNode catalogue() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (NotificationTemplate t : catalog.all()) {
            ObjectNode o = out.addObject();
            o.put("type", t.type());
            o.put("description", t.description());
            ArrayNode fields = o.putArray("fields");
            for (TemplateField f : t.fields()) {
                ObjectNode fo = fields.addObject();
                fo.put("name", f.name());
                fo.put("type", f.type().name().toLowerCase());
                fo.put("required", f.required());
                if (f.maxLength() > 0) {
                    fo.put("maxLength", f.maxLength());
                }
                if (f.emphasized()) {
                    fo.put("emphasized", true);
                }
                if (f.button()) {
                    fo.put("button", true);
                }
                if (f.currencies() != null && !f.currencies().isEmpty()) {
                    f.currencies().forEach(fo.putArray("currencies")::add);
                }
                fo.set("labels", Json.MAPPER.valueToTree(f.labels()));
            }
            ObjectNode lon = o.putObject("lonTemplateKeys");
            for (String country : RenderOptions.COUNTRIES) {
                lon.put(country, t.lon(country).filter(LonMapping::configured).map(LonMapping::templateKey).orElse(null));
            }
            o.set("sample", t.sample());
            ObjectNode samples = o.putObject("samples");
            RenderOptions.LANGUAGES.forEach(lang -> samples.set(lang, t.sample(lang)));
        }
        return out;
    }

    /**
     * @param type     the notification type
     * @param request  {@code {"data":{…}, "language":"th", "country":"JP", "timeZone":"Asia/Bangkok", "buddhistEra":false,
     *                 "toHash":"…"}}; every field optional: data defaults to the template's sample
     * @param defaults language, country and Buddhist-era setting of the channel the preview is for
     */
    /** What the preview says of flexible LON on a channel LINE has not approved for it. */
    public static final String FLEX_NOT_APPROVED = "this channel is not approved by LINE for flexible LINE notification messages"
            + " (LINE_CHANNEL_FLEXIBLE_APPROVED / flexibleApproved): the hub refuses to send this payload (422) until LINE"
            + " has approved the account's flexible messages in its prior UX review";

    /** As {@link #preview(String, JsonNode, RenderOptions, boolean)} for a channel approved for flexible LON. */
    public ObjectNode preview(String type, JsonNode request, RenderOptions defaults) {
        return preview(type, request, defaults, true);
    }

    /**
     * @param flexibleApproved whether LINE approved the channel for flexible LON; when not, the preview says so
     *                         ({@code flexibleApproved: false}, {@code flexNotice}, a notice on the HTML page)
     */
    public ObjectNode preview(String type, JsonNode request, RenderOptions defaults, boolean flexibleApproved) {
        NotificationTemplate t = catalog.find(type)
                .orElseThrow(() -> new InvalidNotificationDataException("type", "is not a known notification type (GET /api/templates lists them)"));
        String language = request.path("language").asText(defaults.language());
        String country = request.path("country").asText(defaults.country());
        if (!RenderOptions.LANGUAGES.contains(language)) {
            throw new InvalidNotificationDataException("language", "must be one of " + RenderOptions.LANGUAGES);
        }
        if (!RenderOptions.COUNTRIES.contains(country)) {
            throw new InvalidNotificationDataException("country", "must be one of " + RenderOptions.COUNTRIES);
        }
        JsonNode data = request.hasNonNull("data") ? request.get("data") : t.sample(language);
        ZoneId zone;
        try {
            zone = request.hasNonNull("timeZone") ? ZoneId.of(request.get("timeZone").asText()) : LinePayloads.defaultZone(country);
        } catch (DateTimeException e) {
            throw new InvalidNotificationDataException("timeZone", "is not a time zone id such as Asia/Bangkok");
        }
        RenderOptions options = new RenderOptions(language, country, zone, request.path("buddhistEra").asBoolean(defaults.buddhistEra()),
                request.path("japaneseEra").asBoolean(defaults.japaneseEra()), request.path("rocYear").asBoolean(defaults.rocYear()));
        payloads.renderer().validate(type, data);
        String to = EXAMPLE_HASH;
        if (request.hasNonNull("toHash")) {
            to = request.get("toHash").asText();
            if (!request.get("toHash").isTextual() || !to.matches("[0-9a-f]{64}")) {
                throw new InvalidNotificationDataException("toHash", "must be the SHA-256 of an E.164 number: 64 lower-case hex digits");
            }
        }

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("type", type);
        out.put("language", language);
        out.put("country", country);
        out.put("timeZone", zone.getId());
        ObjectNode channels = out.putObject("payloads");
        try {
            channels.set("template", payloads.lonTemplate(to, type, data, options));
        } catch (MissingTemplateKeyException e) {
            channels.putObject("template").put("error", e.getMessage());
        }
        channels.set("flex", payloads.lonFlex(to, type, data, options));
        out.put("flexibleApproved", flexibleApproved);
        if (!flexibleApproved) {
            out.put("flexNotice", FLEX_NOT_APPROVED);
        }
        channels.set("push", payloads.push(EXAMPLE_USER_ID, type, data, options));
        channels.set("multicast", payloads.multicast(List.of(EXAMPLE_USER_ID), type, data, options));
        channels.set("broadcast", payloads.broadcast(type, data, options));
        String html = payloads.renderer().renderHtmlPreview(type, data, options);
        if (!flexibleApproved) {
            html = html.replace("<body>", "<body>\n<div class=\"meta\">Flexible LON: " + FLEX_NOT_APPROVED + "</div>");
        }
        out.put("html", html);
        return out;
    }
}
