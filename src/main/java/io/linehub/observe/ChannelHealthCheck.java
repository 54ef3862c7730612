package io.linehub.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * {@code /observe/health}: one LINE channel, as its last quota check found it ({@link ChannelWatch}): DOWN when LINE
 * was not reached or refused the channel's token, UP otherwise; UP until the first check has run.
 */
public final class ChannelHealthCheck extends AbstractHealthCheck {

    private final ChannelWatch watch;
    private final String channel;

    public ChannelHealthCheck(ChannelWatch watch, String channel) {
        super("hub", "line-channel-" + channel);
        this.watch = watch;
        this.channel = channel;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ChannelWatch.State s = watch.state(channel);
        builder.detail("channel", channel);
        if (s.checkedAt() != null) {
            builder.detail("checked.at", s.checkedAt().toString());
        }
        if (s.checkedAt() == null) {
            builder.up().message("LINE channel " + channel + ": not checked yet");
        } else if (!s.reachable()) {
            builder.down().message("LINE channel " + channel + ": " + s.problem());
        } else if (s.tokenRefused()) {
            builder.down().message("LINE channel " + channel + ": " + s.problem());
        } else if (s.problem() != null) {
            builder.up().message("LINE channel " + channel + ": reachable, " + s.problem()).detail("degraded", true);
        } else {
            builder.up().message("LINE channel " + channel + ": reachable, token accepted");
        }
    }
}
