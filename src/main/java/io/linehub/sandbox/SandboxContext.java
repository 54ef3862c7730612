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
    private final PhoneDirectory directory = new PhoneDirectory();
    private final BoundedLog<RecordedRequest> requests;
    private final DeliveryWebhooks webhooks;
    private final Random undeliveredRandom;

    SandboxContext(SandboxConfig config) {
        this.config = config;
        for (SandboxChannel c : config.channels()) {
            channelsByToken.put(c.accessToken(), new ChannelState(c));
        }
        this.requests = new BoundedLog<>(config.maxRecordedRequests());
        this.undeliveredRandom = new Random(config.randomSeed());
        this.webhooks = new DeliveryWebhooks(this);
    }

    SandboxConfig config() {
        return config;
    }

    /** The channel owning this access token, or null. */
    ChannelState channelByToken(String token) {
        return token == null ? null : channelsByToken.get(token);
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

    /** Wraps a LINE endpoint: one {@link LineCall} per request; a {@link LineApiException} becomes LINE's error answer. */
    Handler<RoutingContext> lineApi(Consumer<LineCall> endpoint) {
        return rc -> {
            LineCall call = new LineCall(rc, this);
            try {
                endpoint.accept(call);
            } catch (LineApiException e) {
                call.respond(e.status(), e.error());
            }
        };
    }
}
