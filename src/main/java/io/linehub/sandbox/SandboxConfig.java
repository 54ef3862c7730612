package io.linehub.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Immutable configuration of a {@link LineSandbox}. Create with {@link #builder()}. */
public final class SandboxConfig {

    private final String host;
    private final int port;
    private final List<SandboxChannel> channels;
    private final Duration deliveryDelay;
    private final double undeliveredShare;
    private final boolean acceptAllNumbers;
    private final int maxRecordedRequests;
    private final Clock clock;
    private final long randomSeed;

    private SandboxConfig(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        if (b.port < 0 || b.port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + b.port);
        }
        this.port = b.port;
        this.channels = List.copyOf(b.channels);
        Set<String> tokens = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (SandboxChannel c : channels) {
            if (!tokens.add(c.accessToken())) {
                throw new IllegalArgumentException("two channels share one access token (channel " + c.name() + ")");
            }
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate channel name " + c.name());
            }
        }
        this.deliveryDelay = Objects.requireNonNull(b.deliveryDelay, "deliveryDelay");
        if (deliveryDelay.isNegative()) {
            throw new IllegalArgumentException("deliveryDelay must not be negative");
        }
        if (!(b.undeliveredShare >= 0.0 && b.undeliveredShare <= 1.0)) {
            throw new IllegalArgumentException("undeliveredShare must be within 0.0..1.0: " + b.undeliveredShare);
        }
        this.undeliveredShare = b.undeliveredShare;
        this.acceptAllNumbers = b.acceptAllNumbers;
        if (b.maxRecordedRequests < 1) {
            throw new IllegalArgumentException("maxRecordedRequests must be >= 1");
        }
        this.maxRecordedRequests = b.maxRecordedRequests;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.randomSeed = b.randomSeed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    public List<SandboxChannel> channels() { return channels; }
    public Duration deliveryDelay() { return deliveryDelay; }
    public double undeliveredShare() { return undeliveredShare; }
    public boolean acceptAllNumbers() { return acceptAllNumbers; }
    public int maxRecordedRequests() { return maxRecordedRequests; }
    public Clock clock() { return clock; }
    public long randomSeed() { return randomSeed; }

    @Override
    public String toString() {
        return "SandboxConfig[host=" + host + ", port=" + port + ", channels=" + channels
                + ", deliveryDelay=" + deliveryDelay + ", undeliveredShare=" + undeliveredShare
                + ", acceptAllNumbers=" + acceptAllNumbers + ", maxRecordedRequests=" + maxRecordedRequests
                + ", clock=" + clock + ", randomSeed=" + randomSeed + "]";
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private final List<SandboxChannel> channels = new ArrayList<>();
        private Duration deliveryDelay = Duration.ofSeconds(1);
        private double undeliveredShare = 0.0;
        private boolean acceptAllNumbers = false;
        private int maxRecordedRequests = 100_000;
        private Clock clock = Clock.systemUTC();
        private long randomSeed = 42L;

        private Builder() {
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }

        /** Adds one channel. */
        public Builder channel(SandboxChannel channel) {
            channels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /** Replaces the channel list. */
        public Builder channels(List<SandboxChannel> channels) {
            this.channels.clear();
            channels.forEach(this::channel);
            return this;
        }

        public Builder deliveryDelay(Duration deliveryDelay) { this.deliveryDelay = deliveryDelay; return this; }
        public Builder undeliveredShare(double undeliveredShare) { this.undeliveredShare = undeliveredShare; return this; }
        public Builder acceptAllNumbers(boolean acceptAllNumbers) { this.acceptAllNumbers = acceptAllNumbers; return this; }
        public Builder maxRecordedRequests(int maxRecordedRequests) { this.maxRecordedRequests = maxRecordedRequests; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder randomSeed(long randomSeed) { this.randomSeed = randomSeed; return this; }

        public SandboxConfig build() {
            return new SandboxConfig(this);
        }
    }
}
