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

    /**
     * Delivery events per webhook request at most, by default. LINE puts several events in one request when it has
     * them (README §10.3) but documents neither how many nor how long it gathers them (§13): 100 events, gathered
     * for at most 50 ms, is a webhook request every 50 ms at LINE's 2,000 messages a second.
     */
    public static final int DEFAULT_WEBHOOK_BATCH_MAX = 100;
    /** How long a due delivery event may wait for others, by default (see {@link #DEFAULT_WEBHOOK_BATCH_MAX}). */
    public static final Duration DEFAULT_WEBHOOK_BATCH_WINDOW = Duration.ofMillis(50);

    private final String host;
    private final int port;
    private final List<SandboxChannel> channels;
    private final Duration deliveryDelay;
    private final int webhookBatchMax;
    private final Duration webhookBatchWindow;
    private final boolean webhookRedelivery;
    private final double undeliveredShare;
    private final boolean acceptAllNumbers;
    private final int maxRecordedRequests;
    private final Clock clock;
    private final long randomSeed;
    private final boolean validateRequests;
    private final java.util.Map<ApiPath, EndpointRateLimit> rateLimits;
    private final Long monthlyQuota;
    private final Duration tokenLifetime;
    private final Duration narrowcastWaiting;
    private final Duration narrowcastSending;
    private final Integer narrowcastErrorCode;
    private final int narrowcastMinRecipients;
    private final Faults faults;
    private final TemplateKeys templateKeys;

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
            if (c.accessToken() != null && !tokens.add(c.accessToken())) {
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
        if (b.webhookBatchMax < 1) {
            throw new IllegalArgumentException("webhookBatchMax must be >= 1: " + b.webhookBatchMax);
        }
        this.webhookBatchMax = b.webhookBatchMax;
        this.webhookRedelivery = b.webhookRedelivery;
        this.webhookBatchWindow = Objects.requireNonNull(b.webhookBatchWindow, "webhookBatchWindow");
        if (webhookBatchWindow.isNegative()) {
            throw new IllegalArgumentException("webhookBatchWindow must not be negative");
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
        this.validateRequests = b.validateRequests;
        java.util.EnumMap<ApiPath, EndpointRateLimit> limits = new java.util.EnumMap<>(ApiPath.class);
        for (ApiPath e : ApiPath.values()) {
            limits.put(e, b.rateLimits.getOrDefault(e, e.defaultRateLimit()));
        }
        this.rateLimits = java.util.Collections.unmodifiableMap(limits);
        if (b.monthlyQuota != null && b.monthlyQuota < 0) {
            throw new IllegalArgumentException("monthlyQuota must not be negative");
        }
        this.monthlyQuota = b.monthlyQuota;
        if (b.tokenLifetime.isNegative() || b.tokenLifetime.isZero()) {
            throw new IllegalArgumentException("tokenLifetime must be positive");
        }
        this.tokenLifetime = b.tokenLifetime;
        this.narrowcastWaiting = Objects.requireNonNull(b.narrowcastWaiting, "narrowcastWaiting");
        this.narrowcastSending = Objects.requireNonNull(b.narrowcastSending, "narrowcastSending");
        if (narrowcastWaiting.isNegative() || narrowcastSending.isNegative()) {
            throw new IllegalArgumentException("narrowcast phase durations must not be negative");
        }
        if (b.narrowcastErrorCode != null && (b.narrowcastErrorCode < 1 || b.narrowcastErrorCode > 5)) {
            throw new IllegalArgumentException("narrowcastErrorCode must be 1..5 (README §5.4)");
        }
        this.narrowcastErrorCode = b.narrowcastErrorCode;
        this.narrowcastMinRecipients = b.narrowcastMinRecipients;
        this.faults = Objects.requireNonNull(b.faults, "faults");
        this.templateKeys = Objects.requireNonNull(b.templateKeys, "templateKeys");
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    public List<SandboxChannel> channels() { return channels; }
    public Duration deliveryDelay() { return deliveryDelay; }
    /** The most delivery events one webhook request carries (LINE puts several in one request when it has them). */
    public int webhookBatchMax() { return webhookBatchMax; }
    /**
     * How long a delivery event that is due may wait for others to share its webhook request (0: each is sent when
     * due, alone unless others are due at the same moment).
     */
    public Duration webhookBatchWindow() { return webhookBatchWindow; }
    /**
     * LINE's webhook redelivery (opt-in in the Console; README §10.1): a webhook request the hub did not answer with
     * 2xx within 2 s is sent again, identical but for {@code deliveryContext.isRedelivery = true} (same event ids).
     */
    public boolean webhookRedelivery() { return webhookRedelivery; }
    public double undeliveredShare() { return undeliveredShare; }
    public boolean acceptAllNumbers() { return acceptAllNumbers; }
    public int maxRecordedRequests() { return maxRecordedRequests; }
    public Clock clock() { return clock; }
    public long randomSeed() { return randomSeed; }
    /** Whether every request is validated against LINE's OpenAPI files (400 in LINE's format when invalid). */
    public boolean validateRequests() { return validateRequests; }
    /** The rate limit of each endpoint (README §2 defaults unless configured). */
    public java.util.Map<ApiPath, EndpointRateLimit> rateLimits() { return rateLimits; }
    public EndpointRateLimit rateLimit(ApiPath endpoint) { return rateLimits.get(endpoint); }
    /** Initial monthly target limit of every channel ({@code GET /v2/bot/message/quota}); null = {"type":"none"}. */
    public Long monthlyQuota() { return monthlyQuota; }

    /** Lifetime of the tokens {@code POST /oauth2/v3/token} issues (LINE: 15 minutes); past it a token gets 401. */
    public Duration tokenLifetime() { return tokenLifetime; }
    /** How long a narrowcast stays in phase {@code waiting}. */
    public Duration narrowcastWaiting() { return narrowcastWaiting; }
    /** How long a narrowcast stays in phase {@code sending} before it succeeds (or fails). */
    public Duration narrowcastSending() { return narrowcastSending; }
    /** When set (1..5), every narrowcast ends {@code failed} with this errorCode (README §5.4). */
    public Integer narrowcastErrorCode() { return narrowcastErrorCode; }
    /** A narrowcast with {@code recipient} or {@code filter} that reaches fewer friends fails with errorCode 2. */
    public int narrowcastMinRecipients() { return narrowcastMinRecipients; }
    /** Faults at start (changeable at run time with {@link LineSandbox#faults(Faults)}). */
    public Faults faults() { return faults; }
    /** The LON template, item and button keys accepted (LINE's documented ones unless configured). */
    public TemplateKeys templateKeys() { return templateKeys; }

    @Override
    public String toString() {
        return "SandboxConfig[host=" + host + ", port=" + port + ", channels=" + channels
                + ", deliveryDelay=" + deliveryDelay + ", webhookBatchMax=" + webhookBatchMax + ", webhookBatchWindow=" + webhookBatchWindow + ", webhookRedelivery=" + webhookRedelivery
                + ", undeliveredShare=" + undeliveredShare
                + ", acceptAllNumbers=" + acceptAllNumbers + ", maxRecordedRequests=" + maxRecordedRequests
                + ", clock=" + clock + ", randomSeed=" + randomSeed + ", validateRequests=" + validateRequests
                + ", rateLimits=" + rateLimits + ", monthlyQuota=" + monthlyQuota + ", narrowcastWaiting=" + narrowcastWaiting
                + ", narrowcastSending=" + narrowcastSending + ", narrowcastErrorCode=" + narrowcastErrorCode
                + ", narrowcastMinRecipients=" + narrowcastMinRecipients + ", faults=" + faults + "]";
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private final List<SandboxChannel> channels = new ArrayList<>();
        private Duration deliveryDelay = Duration.ofSeconds(1);
        private int webhookBatchMax = DEFAULT_WEBHOOK_BATCH_MAX;
        private Duration webhookBatchWindow = DEFAULT_WEBHOOK_BATCH_WINDOW;
        private boolean webhookRedelivery;
        private double undeliveredShare = 0.0;
        private boolean acceptAllNumbers = false;
        private int maxRecordedRequests = 100_000;
        private Clock clock = Clock.systemUTC();
        private long randomSeed = 42L;
        private boolean validateRequests = true;
        private final java.util.Map<ApiPath, EndpointRateLimit> rateLimits = new java.util.EnumMap<>(ApiPath.class);
        private Long monthlyQuota;
        private Duration tokenLifetime = Duration.ofSeconds(900);
        private Duration narrowcastWaiting = Duration.ofSeconds(1);
        private Duration narrowcastSending = Duration.ofSeconds(1);
        private Integer narrowcastErrorCode;
        private int narrowcastMinRecipients = 50;
        private Faults faults = Faults.NONE;
        private TemplateKeys templateKeys = TemplateKeys.DOCUMENTED;

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
        /** Delivery events per webhook request at most, and how long a due one may wait for others (1 and 0: one each). */
        /** See {@link SandboxConfig#webhookRedelivery()}. */
        public Builder webhookRedelivery(boolean on) {
            this.webhookRedelivery = on;
            return this;
        }

        public Builder webhookBatching(int max, Duration window) {
            this.webhookBatchMax = max;
            this.webhookBatchWindow = window;
            return this;
        }
        public Builder undeliveredShare(double undeliveredShare) { this.undeliveredShare = undeliveredShare; return this; }
        public Builder acceptAllNumbers(boolean acceptAllNumbers) { this.acceptAllNumbers = acceptAllNumbers; return this; }
        public Builder maxRecordedRequests(int maxRecordedRequests) { this.maxRecordedRequests = maxRecordedRequests; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder randomSeed(long randomSeed) { this.randomSeed = randomSeed; return this; }
        public Builder validateRequests(boolean validate) { this.validateRequests = validate; return this; }
        /** Overrides LINE's default rate limit of one endpoint. */
        public Builder rateLimit(ApiPath endpoint, EndpointRateLimit limit) {
            rateLimits.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(limit, "limit"));
            return this;
        }
        public Builder monthlyQuota(Long quota) { this.monthlyQuota = quota; return this; }
        public Builder tokenLifetime(Duration lifetime) { this.tokenLifetime = Objects.requireNonNull(lifetime, "tokenLifetime"); return this; }
        public Builder narrowcastPhases(Duration waiting, Duration sending) {
            this.narrowcastWaiting = waiting;
            this.narrowcastSending = sending;
            return this;
        }
        public Builder narrowcastErrorCode(Integer errorCode) { this.narrowcastErrorCode = errorCode; return this; }
        public Builder narrowcastMinRecipients(int min) { this.narrowcastMinRecipients = min; return this; }
        public Builder faults(Faults faults) { this.faults = faults; return this; }
        public Builder templateKeys(TemplateKeys keys) { this.templateKeys = keys; return this; }

        public SandboxConfig build() {
            return new SandboxConfig(this);
        }
    }
}
