package io.linehub.sandbox;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** Everything the endpoint handlers share: configuration, channels, directory, recorders, webhooks. */
final class SandboxContext {

    final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final SandboxConfig config;
    private final Map<String, ChannelState> channelsByToken = new HashMap<>();
    private final Map<String, ChannelState> channelsByName = new HashMap<>();
    private final Map<String, ChannelState> channelsById = new HashMap<>();
    /** Channel access tokens issued by POST /oauth2/v3/token: token → its channel and end of life. */
    private final Map<String, IssuedToken> issuedTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.security.SecureRandom tokenRandom = new java.security.SecureRandom();

    /** A token {@link TokenEndpoint} issued, and until when it is valid (on the configured clock). */
    record IssuedToken(ChannelState channel, java.time.Instant expiresAt) {
    }
    private final RateLimits rateLimits = new RateLimits();
    private final BoundedLog<SentMessage> sent;
    private final Random faultRandom;
    private final java.util.concurrent.atomic.AtomicLong messageIds;
    private volatile Faults faults;
    private volatile Integer narrowcastErrorCode;
    private final PhoneDirectory directory = new PhoneDirectory();
    private final BoundedLog<RecordedRequest> requests;
    private final DeliveryWebhooks webhooks;
    private final Random undeliveredRandom;

    SandboxContext(SandboxConfig config) {
        this.config = config;
        for (SandboxChannel c : config.channels()) {
            ChannelState state = new ChannelState(c, config.monthlyQuota());
            if (c.accessToken() != null) {
                channelsByToken.put(c.accessToken(), state);
            }
            channelsByName.put(c.name(), state);
            if (c.channelId() != null) {
                channelsById.put(c.channelId(), state);
            }
        }
        this.sent = new BoundedLog<>(config.maxRecordedRequests());
        this.faultRandom = new Random(config.randomSeed() + 1);
        this.messageIds = new java.util.concurrent.atomic.AtomicLong(461_230_966_842_064_897L + new Random(config.randomSeed()).nextInt(1 << 20));
        this.faults = config.faults();
        this.narrowcastErrorCode = config.narrowcastErrorCode();
        if (config.validateRequests()) {
            LineSchemas.warmUp();
        }
        this.requests = new BoundedLog<>(config.maxRecordedRequests());
        this.undeliveredRandom = new Random(config.randomSeed());
        this.webhooks = new DeliveryWebhooks(this);
    }

    SandboxConfig config() {
        return config;
    }

    /** The channel owning this access token (configured, or issued and not expired on the configured clock), or null. */
    ChannelState channelByToken(String token) {
        if (token == null) {
            return null;
        }
        ChannelState configured = channelsByToken.get(token);
        if (configured != null) {
            return configured;
        }
        IssuedToken issued = issuedTokens.get(token);
        if (issued == null) {
            return null;
        }
        if (!config.clock().instant().isBefore(issued.expiresAt())) {
            issuedTokens.remove(token); // expired: LINE answers 401 from now on
            return null;
        }
        return issued.channel();
    }

    /** The channel with this channel ID (configured for token issuance), or null. */
    ChannelState channelById(String channelId) {
        return channelId == null ? null : channelsById.get(channelId);
    }

    /** A new channel access token for the channel, valid until {@code expiresAt}. */
    String issueToken(ChannelState channel, java.time.Instant expiresAt) {
        byte[] b = new byte[24];
        tokenRandom.nextBytes(b);
        String token = "sbx." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        issuedTokens.put(token, new IssuedToken(channel, expiresAt));
        channel.tokenIssued();
        return token;
    }

    /** The channel with this name; IllegalArgumentException when there is none. */
    ChannelState channelByName(String name) {
        ChannelState c = channelsByName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no channel named " + name);
        }
        return c;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    BoundedLog<SentMessage> sent() {
        return sent;
    }

    Faults faults() {
        return faults;
    }

    void faults(Faults faults) {
        this.faults = java.util.Objects.requireNonNull(faults, "faults");
    }

    Integer narrowcastErrorCode() {
        return narrowcastErrorCode;
    }

    void narrowcastErrorCode(Integer code) {
        if (code != null && (code < 1 || code > 5)) {
            throw new IllegalArgumentException("errorCode must be 1..5");
        }
        this.narrowcastErrorCode = code;
    }

    /** A new message ID: a numeric string as LINE's (README §5.1). */
    String nextMessageId() {
        return Long.toString(messageIds.incrementAndGet());
    }

    PhoneDirectory directory() {
        return directory;
    }

    BoundedLog<RecordedRequest> requests() {
        return requests;
    }

    DeliveryWebhooks webhooks() {
        return webhooks;
    }

    /** Whether a LON to this (valid) hashed number reaches a LINE user. */
    boolean isLonRecipient(String sha256Hex) {
        return config.acceptAllNumbers() || directory.contains(sha256Hex);
    }

    /** Seeded draw: true for about {@code undeliveredShare} of accepted LONs. */
    boolean drawUndelivered() {
        double share = config.undeliveredShare();
        if (share <= 0.0) {
            return false;
        }
        if (share >= 1.0) {
            return true;
        }
        synchronized (undeliveredRandom) {
            return undeliveredRandom.nextDouble() < share;
        }
    }

    /** Wraps a 404/405 answer: one {@link LineCall}, no rate limit or faults. */
    Handler<RoutingContext> lineApi(Consumer<LineCall> endpoint) {
        return rc -> {
            LineCall call = new LineCall(rc, this);
            try {
                endpoint.accept(call);
            } catch (ErrorAnswer e) {
                call.respond(e.status(), e.body(), e.headers());
            }
        };
    }

    /**
     * Wraps a LINE endpoint: one {@link LineCall} per request, then in order: injected latency, token (401),
     * rate limit (429), injected faults before effect, the endpoint's handler (which may take effect and answer;
     * an "after effect" fault replaces its successful answer). A {@link ErrorAnswer} becomes LINE's error answer.
     */
    Handler<RoutingContext> lineApi(ApiPath endpoint, Consumer<LineCall> handler) {
        return rc -> {
            LineCall call = new LineCall(rc, this, endpoint);
            Faults f = faults;
            boolean affected = f != Faults.NONE && f.affects(endpoint);
            long delay;
            synchronized (faultRandom) {
                delay = affected ? f.latencyMillis(faultRandom) : 0;
            }
            if (delay > 0) {
                rc.vertx().setTimer(delay, t -> run(call, endpoint, f, affected, handler));
            } else {
                run(call, endpoint, f, affected, handler);
            }
        };
    }

    private void run(LineCall call, ApiPath endpoint, Faults f, boolean affected, Consumer<LineCall> handler) {
        try {
            ChannelState channel = call.requireChannel();
            if (!rateLimits.admit(channel.name(), endpoint, config.rateLimit(endpoint), call.at())) {
                throw new ErrorAnswer(429, LineError.of("Too many requests"));
            }
            Faults.Fault fault = Faults.Fault.NONE;
            if (affected) {
                synchronized (faultRandom) {
                    fault = f.draw(faultRandom);
                }
            }
            switch (fault) {
                case RESET -> {
                    call.reset();
                    return;
                }
                case TIMEOUT -> {
                    call.hold(f.timeoutHold());
                    return;
                }
                case SERVER_ERROR -> throw new ErrorAnswer(500, LineError.of("Internal server error"));
                default -> call.afterEffect(fault, f.timeoutHold());
            }
            handler.accept(call);
        } catch (ErrorAnswer e) {
            call.respond(e.status(), e.body(), e.headers());
        }
    }

    /**
     * Makes a send take effect (README §3, §7, §8): claims the retry key (409 with the accepted request's ID when
     * it was accepted within 24 h), consumes the monthly quota for the messaging-API sends (429 "You have reached
     * your monthly limit." and the key given back), counts the sent-count statistics and records the
     * {@link SentMessage}. Nothing happens when it throws.
     *
     * @param recipients     who it reaches (counted toward the quota when {@code countsTowardQuota})
     * @param quotaUnits     how many messages it counts toward the quota (0 for LONs)
     * @param sentMessages   push only: repeated in a 409 body
     */
    void commit(LineCall call, ChannelState channel, String retryKey, java.util.List<String> recipients, long quotaUnits,
                ChannelState.Counter counter, long counted, java.util.List<Map<String, String>> sentMessages) {
        ChannelState.AcceptedKey mine = null;
        if (retryKey != null) {
            mine = new ChannelState.AcceptedKey(call.at(), call.requestId(), sentMessages);
            ChannelState.AcceptedKey prior = channel.claimRetryKey(retryKey, mine);
            if (prior != null) {
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("message", "The retry key is already accepted");
                if (prior.sentMessages() != null) {
                    body.put("sentMessages", prior.sentMessages());
                }
                throw new ErrorAnswer(409, body, "The retry key is already accepted",
                        Map.of(LineCall.ACCEPTED_REQUEST_ID, prior.requestId()));
            }
        }
        if (quotaUnits > 0 || call.endpoint() != ApiPath.PNP_TEMPLATED_PUSH && call.endpoint() != ApiPath.PNP_FLEXIBLE_PUSH) {
            if (!channel.consume(quotaUnits)) {
                if (mine != null) {
                    channel.releaseRetryKey(retryKey, mine);
                }
                throw new ErrorAnswer(429, LineError.of("You have reached your monthly limit."));
            }
        }
        if (counter != null && counted > 0) {
            channel.count(counter, call.at(), counted);
        }
        sent.add(new SentMessage(call.at(), channel.name(), call.endpoint(), call.requestId(), retryKey,
                java.util.List.copyOf(recipients), call.bodyText()));
    }
}
