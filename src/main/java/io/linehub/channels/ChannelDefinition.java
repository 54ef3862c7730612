package io.linehub.channels;

import io.linehub.line.LineChannel;
import io.linehub.quiet.QuietHours;
import io.linehub.template.LonMapping;

import java.util.Map;
import java.util.Optional;

/**
 * One LINE channel as the hub runs it: what the {@code line:} component needs ({@link LineChannel}: credentials,
 * LINE's address, country, language, eras, flexible approval) and what the rest of the hub reads: the rate budget per
 * LINE endpoint, the template keys LINE gave this account where they differ from config/templates, quiet hours.
 *
 * @param line           the channel for the {@code line:} component
 * @param ratePerSecond  requests per second this channel may make to each LINE endpoint (LINE allows 2,000)
 * @param templateKeys   notification type → LON template keys of this account (replacing the template's for the
 *                       channel's country; an empty item or button map keeps the template's)
 * @param quietHours     the channel's quiet hours, or null
 */
public record ChannelDefinition(LineChannel line, int ratePerSecond, Map<String, LonMapping> templateKeys, QuietHours quietHours) {

    /** LINE's limit per channel and endpoint, and the default budget. */
    public static final int LINE_RATE_PER_SECOND = 2000;

    public ChannelDefinition {
        templateKeys = Map.copyOf(templateKeys);
    }

    public String name() {
        return line.name();
    }

    public String country() {
        return line.country();
    }

    public Optional<QuietHours> quiet() {
        return Optional.ofNullable(quietHours);
    }

    /** Never prints a token or a secret ({@link LineChannel#toString()}). */
    @Override
    public String toString() {
        return line + " ratePerSecond=" + ratePerSecond + (templateKeys.isEmpty() ? "" : " templateKeys=" + templateKeys.keySet());
    }
}
