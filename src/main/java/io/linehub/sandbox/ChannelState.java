package io.linehub.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-channel state of the emulated LINE platform. Endpoint families add what they need here
 * (quota, retry keys, narrowcast progress...). Thread-safe.
 */
final class ChannelState {

    private final SandboxChannel channel;
    private final String botUserId;
    private final AtomicLong acceptedTemplateLons = new AtomicLong();

    ChannelState(SandboxChannel channel) {
        this.channel = channel;
        this.botUserId = botUserIdFor(channel.name());
    }

    SandboxChannel channel() {
        return channel;
    }

    String name() {
        return channel.name();
    }

    /** The bot's user ID sent as webhook {@code destination}: "U" + 32 hex, stable per channel name. */
    String botUserId() {
        return botUserId;
    }

    AtomicLong acceptedTemplateLons() {
        return acceptedTemplateLons;
    }

    static String botUserIdFor(String channelName) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("line-sandbox-bot:" + channelName).getBytes(StandardCharsets.UTF_8));
            return "U" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
