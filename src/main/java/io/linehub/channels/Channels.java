package io.linehub.channels;

import io.linehub.line.LineChannels;
import io.linehub.line.LineOperation;
import io.linehub.quiet.QuietHours;
import io.linehub.template.LonMapping;
import io.linehub.template.NotificationTemplate;
import io.linehub.template.TemplateCatalog;
import io.linehub.template.TemplateField;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's LINE channels by name (the registry bean {@code channels}): from the channels file, plus the
 * environment's {@code default} channel when the file has none of that name. Everything that depends on the channel
 * reads it here: intake (which channels exist, routing by country, rendering options and template keys), the
 * {@code line:} component ({@link #lineChannels()}), the webhook (each channel's secret), the rate budgets
 * ({@link #rateBudgets()}) and quiet hours.
 */
public final class Channels {

    /** The channel the environment configures (LINE_CHANNEL_*) and the one routing falls back to. */
    public static final String DEFAULT = "default";

    private final Map<String, ChannelDefinition> byName = new LinkedHashMap<>();
    private final LineChannels lineChannels;

    public Channels(Collection<ChannelDefinition> channels) {
        channels.forEach(c -> {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("two LINE channels are named " + c.name());
            }
        });
        lineChannels = new LineChannels(channels.stream().map(ChannelDefinition::line).toList());
    }

    public Optional<ChannelDefinition> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public ChannelDefinition get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no LINE channel named '" + name + "' is configured"));
    }

    public Collection<ChannelDefinition> all() {
        return byName.values();
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** The first channel (in file order) whose account is in {@code country} (JP, TH, TW). */
    public Optional<ChannelDefinition> forCountry(String country) {
        return country == null ? Optional.empty() : byName.values().stream().filter(c -> country.equals(c.country())).findFirst();
    }

    /** The channels as the {@code line:} component and the webhook know them (credentials, LINE's address). */
    public LineChannels lineChannels() {
        return lineChannels;
    }

    /**
     * The throttle's budget of each channel and LINE endpoint limited per second ({@code channel:operation} →
     * requests per second): the channel's {@code ratePerSecond}, else {@code fallback} (HUB_DELIVERY_RATE_PER_SECOND)
     * for channels that do not set it (the environment's default channel).
     */
    public Map<String, Integer> rateBudgets() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ChannelDefinition c : byName.values()) {
            if (c.ratePerSecond() <= 0) {
                continue;
            }
            for (LineOperation op : LineOperation.values()) {
                if (op.rateLimit() == LineOperation.RateLimit.PER_SECOND_2000) {
                    out.put(c.name() + ":" + op.uriName(), c.ratePerSecond());
                }
            }
        }
        return out;
    }

    /** Quiet hours of the channels that have them. */
    public Map<String, QuietHours> quietHours() {
        Map<String, QuietHours> out = new LinkedHashMap<>();
        byName.values().forEach(c -> c.quiet().ifPresent(q -> out.put(c.name(), q)));
        return out;
    }

    /** The LON template keys this channel's account uses instead of config/templates', by notification type. */
    public Map<String, LonMapping> templateKeys(String channel) {
        return find(channel).map(ChannelDefinition::templateKeys).orElse(Map.of());
    }

    /**
     * Start-up check of each channel's template keys against the templates: a type that does not exist, or a field
     * that is not the template's (or an item given as a button, or the reverse), stops the start naming both.
     */
    public void checkTemplateKeys(String file, TemplateCatalog catalog) {
        int index = 0;
        for (ChannelDefinition c : byName.values()) {
            index++;
            for (Map.Entry<String, LonMapping> e : c.templateKeys().entrySet()) {
                String path = "templateKeys." + e.getKey();
                Optional<NotificationTemplate> t = catalog.find(e.getKey());
                if (t.isEmpty()) {
                    throw new ChannelsFileException(file, index, c.name(), path, "is not a notification type of config/templates");
                }
                List<TemplateField> fields = t.get().fields();
                check(file, index, c.name(), path + ".items", e.getValue().itemKeys(), fields, false);
                check(file, index, c.name(), path + ".buttons", e.getValue().buttonKeys(), fields, true);
            }
        }
    }

    private static void check(String file, int index, String channel, String path, Map<String, String> keys, List<TemplateField> fields, boolean buttons) {
        for (String field : keys.keySet()) {
            Optional<TemplateField> f = fields.stream().filter(x -> x.name().equals(field)).findFirst();
            if (f.isEmpty()) {
                throw new ChannelsFileException(file, index, channel, path + "." + field, "is not a field of this notification type");
            }
            if (f.get().button() != buttons) {
                throw new ChannelsFileException(file, index, channel, path + "." + field,
                        buttons ? "is not a button field; map it under items" : "is a button field; map it under buttons");
            }
        }
    }
}
