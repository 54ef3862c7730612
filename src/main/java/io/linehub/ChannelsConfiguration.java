package io.linehub;

import io.linehub.channels.ChannelDefinition;
import io.linehub.channels.Channels;
import io.linehub.channels.ChannelsFile;
import io.linehub.line.LineChannel;
import io.linehub.sandbox.SandboxChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The hub's LINE channels from its settings: the channels file (HUB_CHANNELS_FILE) and the environment's
 * {@code default} channel (LINE_CHANNEL_*), which stands alone, exactly as before, when there is no file; and, with the
 * sandbox, the channels as the sandbox serves them.
 */
final class ChannelsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelsConfiguration.class);

    private final HubSettings settings;
    private final List<ChannelDefinition> fromFile;

    private ChannelsConfiguration(HubSettings settings, List<ChannelDefinition> fromFile) {
        this.settings = settings;
        this.fromFile = fromFile;
    }

    /** Reads the channels file (none: an empty list); a broken one throws {@link io.linehub.channels.ChannelsFileException}. */
    static ChannelsConfiguration read(HubSettings s, Function<String, String> env) {
        List<ChannelDefinition> file = ChannelsFile.read(Path.of(s.channelsFile()), env);
        if (!file.isEmpty()) {
            LOG.info("channels file {}: {} channel(s) {}", s.channelsFile(), file.size(), file.stream().map(ChannelDefinition::name).toList());
        }
        return new ChannelsConfiguration(s, file);
    }

    boolean fileGiven() {
        return !fromFile.isEmpty();
    }

    /**
     * The channels: the file's, and the environment's {@code default} unless the file names one so. With the sandbox,
     * channels left at LINE's address go to {@code sandboxBaseUrl} (or LINE_API_BASE_URL) and the default channel gets
     * made-up credentials when the environment gives none.
     *
     * @param sandboxBaseUrl the sandbox's address, or null without the sandbox
     */
    Channels channels(String defaultToken, String defaultSecret, String sandboxBaseUrl) {
        List<ChannelDefinition> all = new ArrayList<>();
        URI redirect = settings.lineApiBaseUrl() != null ? URI.create(settings.lineApiBaseUrl())
                : sandboxBaseUrl != null ? URI.create(sandboxBaseUrl) : null;
        for (ChannelDefinition c : fromFile) {
            LineChannel l = c.line();
            if (redirect != null && ChannelsFile.LINE_API.equals(l.baseUrl())) {
                l = new LineChannel(l.name(), l.accessToken(), l.channelSecret(), redirect, l.country(), l.defaultLanguage(), l.buddhistEra(),
                        l.flexibleApproved(), l.japaneseEra(), l.rocYear(), l.channelId());
            }
            all.add(new ChannelDefinition(l, c.ratePerSecond(), c.templateKeys(), c.quietHours()));
        }
        if (fromFile.stream().noneMatch(c -> c.name().equals(Channels.DEFAULT))) {
            if (defaultToken == null || defaultSecret == null) {
                throw new IllegalArgumentException("no LINE channel named default: set LINE_CHANNEL_ACCESS_TOKEN and LINE_CHANNEL_SECRET, or name"
                        + " one entry of the channels file (" + settings.channelsFile() + ") default; notifications for a country without"
                        + " a channel of its own go to it");
            }
            URI base = redirect != null ? redirect : ChannelsFile.LINE_API;
            // rate 0: HUB_DELIVERY_RATE_PER_SECOND applies, as before the channels file
            all.add(0, new ChannelDefinition(new LineChannel(Channels.DEFAULT, defaultToken, defaultSecret, base, settings.lineChannelCountry(),
                    settings.lineChannelLanguage(), settings.lineChannelBuddhistEra(), settings.lineChannelFlexibleApproved(),
                    settings.lineChannelJapaneseEra(), settings.lineChannelRocYear()), 0, java.util.Map.of(), null));
        }
        return new Channels(all);
    }

    /** The file's channels as the sandbox serves them (by token or channel ID + secret), webhooks to this hub. */
    List<SandboxChannel> sandboxChannels(String publicUrl) {
        return fromFile.stream().map(c -> new SandboxChannel(c.name(), c.line().accessToken(), c.line().channelSecret(),
                URI.create(publicUrl + "/webhook/line/" + c.name()), c.line().channelId())).toList();
    }

    /** {@code keys} and every LON key of the file's channels (the keys LINE gave those accounts), which the sandbox then accepts. */
    java.util.Set<String> withTemplateKeysOfTheFile(java.util.Set<String> keys) {
        java.util.Set<String> all = new java.util.HashSet<>(keys);
        for (ChannelDefinition c : fromFile) {
            c.templateKeys().values().forEach(m -> {
                all.add(m.templateKey());
                all.addAll(m.itemKeys().values());
                all.addAll(m.buttonKeys().values());
            });
        }
        return all;
    }

    boolean fileHasDefault() {
        return fromFile.stream().anyMatch(c -> c.name().equals(Channels.DEFAULT));
    }
}
