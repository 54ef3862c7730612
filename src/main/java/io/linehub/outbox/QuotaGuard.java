package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.friends.FriendStatus;
import io.linehub.json.Json;
import io.linehub.line.LineConstants;
import io.linehub.line.model.MessageQuotaResponse;
import io.linehub.line.model.QuotaConsumptionResponse;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.time.Duration;

/**
 * Before a broadcast, a narrowcast or a multicast, asks LINE for the channel's monthly quota and consumption
 * and holds the send when it would not fit, instead of letting LINE refuse it halfway.
 */
public class QuotaGuard {

    private final ProducerTemplate producer;
    private final FriendStatus friends;
    private final OutcomeStore outcomes;
    private final Duration holdFor;
    /** Remaining quota per channel as last read, with when it was read: LINE is asked at most every few seconds. */
    private final java.util.Map<String, long[]> remaining = new java.util.concurrent.ConcurrentHashMap<>();
    static final long CACHE_MILLIS = 3000;

    public QuotaGuard(ProducerTemplate producer, FriendStatus friends, OutcomeStore outcomes, Duration holdFor) {
        this.producer = producer;
        this.friends = friends;
        this.outcomes = outcomes;
        this.holdFor = holdFor;
    }

    /** @return true to send; false when the send was held (its reason is on the notification) */
    public boolean check(Exchange exchange) {
        OutboxEntry e = exchange.getProperty(HubHeaders.OUTBOX_ENTRY, OutboxEntry.class);
        String channel = e.channel();
        long needed = recipients(e, channel);
        long[] cached = remaining.compute(channel, (k, v) -> v != null && System.currentTimeMillis() - v[1] < CACHE_MILLIS ? v
                : new long[]{read(channel), System.currentTimeMillis()});
        synchronized (cached) {
            if (cached[0] == Long.MAX_VALUE || needed <= cached[0]) {
                if (cached[0] != Long.MAX_VALUE) {
                    cached[0] -= needed;
                }
                return true;
            }
        }
        outcomes.hold(e, holdFor, "held: " + e.lineOperation() + " to about " + needed + " recipients does not fit the " + cached[0]
                + " messages left of this month's quota");
        return false;
    }

    /** Messages left this month (LINE's quota minus consumption), or Long.MAX_VALUE when the quota is unlimited. */
    private long read(String channel) {
        MessageQuotaResponse quota = producer.requestBodyAndHeader("line:quota", null, LineConstants.CHANNEL, channel, MessageQuotaResponse.class);
        if (quota == null || !"limited".equals(quota.type()) || quota.value() == null) {
            return Long.MAX_VALUE;
        }
        QuotaConsumptionResponse used = producer.requestBodyAndHeader("line:quota-consumption", null, LineConstants.CHANNEL, channel,
                QuotaConsumptionResponse.class);
        return quota.value() - (used == null || used.totalUsage() == null ? 0 : used.totalUsage());
    }

    /** Who a send reaches: the batch's recipients, a narrowcast's limit, or the channel's known friends. */
    private long recipients(OutboxEntry e, String channel) {
        JsonNode request = Json.read(e.lineRequestJson());
        if (e.lineOperation().equals("multicast")) {
            return request.path("to").size();
        }
        if (e.lineOperation().equals("narrowcast") && request.path("limit").path("max").canConvertToLong()) {
            return request.path("limit").path("max").asLong();
        }
        return friends.following(channel);
    }
}
