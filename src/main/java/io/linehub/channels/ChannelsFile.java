package io.linehub.channels;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.linehub.line.LineChannel;
import io.linehub.quiet.QuietHours;
import io.linehub.template.LonMapping;
import io.linehub.template.RenderOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the channels file ({@code HUB_CHANNELS_FILE}, default {@code config/channels.yaml}): a YAML list under
 * {@code channels:}, one LINE Official Account per entry (format: README, "Several LINE channels", and
 * config/channels.yaml.example). A value may be or contain {@code ${NAME}}, the environment variable NAME, so secrets
 * stay out of the file. Everything is checked before the hub starts; the first problem stops it with a
 * {@link ChannelsFileException} naming the entry, the field and the reason (never the value).
 */
public final class ChannelsFile {

    /** Where LINE's API is: the default of {@code apiBaseUrl}. */
    public static final URI LINE_API = URI.create("https://api.line.me");
    /** A channel name: it appears in URLs (/webhook/line/{name}), headers, the API and the outbox. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern CHANNEL_ID = Pattern.compile("[0-9]{1,20}");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LINE_KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Set<String> FIELDS = Set.of("name", "country", "language", "accessToken", "channelId", "channelSecret", "apiBaseUrl",
            "ratePerSecond", "flexibleApproved", "buddhistEra", "japaneseEra", "rocYear", "quietHours", "templateKeys");
    private static final Set<String> TEMPLATE_KEY_FIELDS = Set.of("templateKey", "items", "buttons");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final String file;
    private final Function<String, String> env;

    private ChannelsFile(String file, Function<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** The channels in the file, or empty when there is no such file. */
    public static List<ChannelDefinition> read(Path path, Function<String, String> env) {
        if (!Files.exists(path)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChannelsFileException(path.toString(), 0, null, "file", "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(path.toString(), text, env);
    }

    /** The channels in {@code text} (the file's content; {@code file} names it in errors). */
    public static List<ChannelDefinition> parse(String file, String text, Function<String, String> env) {
        return new ChannelsFile(file, env).parse(text);
    }

    private List<ChannelDefinition> parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            String why = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field") ? "a key is repeated" : "is not valid YAML";
            throw new ChannelsFileException(file, 0, null, "file", why + where);
        }
        if (root == null || !root.isObject() || !root.has("channels")) {
            throw new ChannelsFileException(file, 0, null, "channels", "is required: a list of channels (name, country, accessToken or channelId, channelSecret, …)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("channels")) {
                throw new ChannelsFileException(file, 0, null, f, "is not a known field (the file has one: channels)");
            }
        }
        JsonNode list = root.get("channels");
        if (!list.isArray() || list.isEmpty()) {
            throw new ChannelsFileException(file, 0, null, "channels", "must be a list of at least one channel");
        }
        List<ChannelDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ChannelDefinition c = entry(i + 1, list.get(i));
            if (!names.add(c.name())) {
                throw new ChannelsFileException(file, i + 1, c.name(), "name", "is used by an earlier entry; names must be unique");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    private ChannelDefinition entry(int index, JsonNode node) {
        Entry e = new Entry(index, node);
        if (!node.isObject()) {
            throw e.fail("entry", "must be a map of fields (name, country, …)");
        }
        String rawName = node.path("name").isTextual() ? node.path("name").asText() : null;
        if (rawName != null && NAME.matcher(rawName).matches()) {
            e.name = rawName;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw e.fail(f, "is not a known field; use " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String name = e.text("name", true);
        if (!NAME.matcher(name).matches()) {
            throw e.fail("name", "must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit (it is used in URLs)");
        }
        String country = e.text("country", true);
        if (!RenderOptions.COUNTRIES.contains(country)) {
            throw e.fail("country", "must be one of " + RenderOptions.COUNTRIES + " (the countries LINE notification messages reach)");
        }
        String language = e.text("language", false);
        if (language == null) {
            language = switch (country) {
                case "TH" -> "th";
                case "JP" -> "ja";
                default -> "zh-TW";
            };
        } else if (!RenderOptions.LANGUAGES.contains(language)) {
            throw e.fail("language", "must be one of " + RenderOptions.LANGUAGES);
        }
        String token = e.text("accessToken", false);
        String channelId = e.text("channelId", false);
        if (token != null && channelId != null) {
            throw e.fail("accessToken", "give accessToken or channelId (the hub then issues short-lived tokens), not both");
        }
        if (token == null && channelId == null) {
            throw e.fail("accessToken", "is required, or channelId (with channelSecret) for tokens the hub issues itself");
        }
        if (channelId != null && !CHANNEL_ID.matcher(channelId).matches()) {
            throw e.fail("channelId", "must be LINE's channel ID: digits only");
        }
        String secret = e.text("channelSecret", true);
        URI base = LINE_API;
        String url = e.text("apiBaseUrl", false);
        if (url != null) {
            try {
                base = URI.create(url);
            } catch (IllegalArgumentException bad) {
                throw e.fail("apiBaseUrl", "is not a URL");
            }
            if (base.getHost() == null || !("https".equals(base.getScheme()) || "http".equals(base.getScheme()))) {
                throw e.fail("apiBaseUrl", "must be an http or https URL with a host, e.g. https://api.line.me");
            }
        }
        int rate = e.integer("ratePerSecond", ChannelDefinition.LINE_RATE_PER_SECOND);
        if (rate < 1 || rate > ChannelDefinition.LINE_RATE_PER_SECOND) {
            throw e.fail("ratePerSecond", "must be 1 to " + ChannelDefinition.LINE_RATE_PER_SECOND + " (LINE's limit per channel and endpoint)");
        }
        boolean flexible = e.bool("flexibleApproved", false);
        boolean buddhistEra = e.bool("buddhistEra", "TH".equals(country));
        boolean japaneseEra = e.bool("japaneseEra", false);
        boolean rocYear = e.bool("rocYear", false);
        QuietHours quiet = null;
        String quietText = e.text("quietHours", false);
        if (quietText != null) {
            try {
                quiet = QuietHours.parse(quietText).orElse(null);
            } catch (IllegalArgumentException bad) {
                throw e.fail("quietHours", "must be HH:mm-HH:mm, e.g. 21:00-08:00");
            }
        }
        Map<String, LonMapping> keys = templateKeys(e, country, node.get("templateKeys"));
        LineChannel line = new LineChannel(name, token, secret, base, country, language, buddhistEra, flexible, japaneseEra, rocYear, channelId);
        return new ChannelDefinition(line, rate, keys, quiet);
    }

    private Map<String, LonMapping> templateKeys(Entry e, String country, JsonNode node) {
        Map<String, LonMapping> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw e.fail("templateKeys", "must map notification types to {templateKey, items, buttons}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            String path = "templateKeys." + t.getKey();
            JsonNode v = t.getValue();
            if (!v.isObject()) {
                throw e.fail(path, "must be {templateKey, items, buttons}");
            }
            for (Iterator<String> f = v.fieldNames(); f.hasNext(); ) {
                String name = f.next();
                if (!TEMPLATE_KEY_FIELDS.contains(name)) {
                    throw e.fail(path + "." + name, "is not a known field; use templateKey, items, buttons");
                }
            }
            String key = e.resolve(path + ".templateKey", v.get("templateKey"), true);
            if (!LINE_KEY.matcher(key).matches()) {
                throw e.fail(path + ".templateKey", "is not a LINE key (letters, digits, underscore)");
            }
            out.put(t.getKey(), new LonMapping(country, key, keyMap(e, path + ".items", v.get("items")), keyMap(e, path + ".buttons", v.get("buttons"))));
        }
        return out;
    }

    private Map<String, String> keyMap(Entry e, String path, JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw e.fail(path, "must map field names to LINE keys");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> k = it.next();
            String key = e.resolve(path + "." + k.getKey(), k.getValue(), true);
            if (!LINE_KEY.matcher(key).matches()) {
                throw e.fail(path + "." + k.getKey(), "is not a LINE key (letters, digits, underscore)");
            }
            out.put(k.getKey(), key);
        }
        return out;
    }

    /** One entry being read: its index and (once known) name for the errors. */
    private final class Entry {
        final int index;
        final JsonNode node;
        String name;

        Entry(int index, JsonNode node) {
            this.index = index;
            this.node = node;
        }

        ChannelsFileException fail(String field, String reason) {
            return new ChannelsFileException(file, index, name, field, reason);
        }

        String text(String field, boolean required) {
            return resolve(field, node.get(field), required);
        }

        /** A scalar's text with its ${NAME} references replaced; null when absent (an error when required). */
        String resolve(String field, JsonNode v, boolean required) {
            if (v == null || v.isNull()) {
                if (required) {
                    throw fail(field, "is required");
                }
                return null;
            }
            if (!v.isValueNode()) {
                throw fail(field, "must be a single value, not a list or a map");
            }
            String raw = v.asText();
            Matcher m = ENV.matcher(raw);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = env.apply(m.group(1));
                if (value == null || value.isEmpty()) {
                    throw fail(field, "refers to the environment variable " + m.group(1) + ", which is not set");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            String s = sb.toString().trim();
            if (s.contains("${")) {
                throw fail(field, "has a '${' that is not a reference to an environment variable (${NAME}: letters, digits, underscore)");
            }
            if (s.isEmpty()) {
                if (required) {
                    throw fail(field, "must not be empty");
                }
                return null;
            }
            return s;
        }

        int integer(String field, int dflt) {
            String s = text(field, false);
            if (s == null) {
                return dflt;
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException bad) {
                throw fail(field, "must be a whole number");
            }
        }

        boolean bool(String field, boolean dflt) {
            String s = text(field, false);
            if (s == null) {
                return dflt;
            }
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw fail(field, "must be true or false");
            };
        }
    }
}
