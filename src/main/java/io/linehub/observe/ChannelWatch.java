package io.linehub.observe;

import io.linehub.line.LineApiException;
import io.linehub.line.LineConstants;
import io.linehub.line.model.MessageQuotaResponse;
import io.linehub.line.model.QuotaConsumptionResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The steps of the {@code channel-watch} route (routes/observe.camel.yaml): every few seconds each LINE channel's
 * monthly quota and consumption are read from LINE ({@code line:quota}, {@code line:quota-consumption}). The answers
 * are the quota gauges, and also the channel's state for {@code /observe/health}: reachable with a valid token, the
 * token refused (401/403), or LINE not reached.
 */
public final class ChannelWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelWatch.class);

    /** A channel's state as last read. {@code limit} -1: no monthly limit; NaN figures: never read. */
    public record State(Instant checkedAt, boolean reachable, boolean tokenRefused, String problem, double limit, double used) {
        public boolean ok() {
            return reachable && !tokenRefused && problem == null;
        }
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Supplier<Collection<String>> channels;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public ChannelWatch(MeterRegistry registry, Clock clock, Supplier<Collection<String>> channels) {
        this.registry = registry;
        this.clock = clock;
        this.channels = channels;
        channels.get().forEach(this::gauges);
    }

    private void gauges(String channel) {
        if (states.putIfAbsent(channel, new State(null, false, false, "not checked yet", Double.NaN, Double.NaN)) != null) {
            return;
        }
        Gauge.builder("hub.line.quota.limit", this, w -> w.state(channel).limit())
                .description("The channel's monthly message limit from LINE (-1: none)").tags("channel", channel).register(registry);
        Gauge.builder("hub.line.quota.used", this, w -> w.state(channel).used())
                .description("Messages counted against the channel's monthly limit this month, from LINE").tags("channel", channel).register(registry);
        Gauge.builder("hub.line.quota.remaining", this, w -> {
                    State s = w.state(channel);
                    return s.limit() < 0 ? Double.NaN : Math.max(0, s.limit() - s.used());
                })
                .description("Messages left of the channel's monthly limit (NaN when there is no limit)").tags("channel", channel).register(registry);
        Gauge.builder("hub.line.channel.up", this, w -> w.state(channel).ok() ? 1 : 0)
                .description("1 when LINE answered the channel's last check with its token accepted, else 0").tags("channel", channel).register(registry);
    }

    /** The route's first step: the channels to check. */
    public List<String> channels() {
        List<String> names = new ArrayList<>(channels.get());
        names.forEach(this::gauges);
        return names;
    }

    /** Before the calls: the channel to ask about. */
    public void prepare(Exchange exchange) {
        String channel = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setHeader(LineConstants.CHANNEL, channel);
        exchange.getMessage().setBody(null);
    }

    /** LINE's answer to {@code line:quota}. */
    public void quota(Exchange exchange) {
        String channel = exchange.getMessage().getHeader(LineConstants.CHANNEL, String.class);
        MessageQuotaResponse q = exchange.getMessage().getBody(MessageQuotaResponse.class);
        double limit = q != null && "limited".equals(q.type()) && q.value() != null ? q.value() : -1;
        State before = state(channel);
        states.put(channel, new State(clock.instant(), true, false, null, limit, before.used()));
        exchange.getMessage().setBody(null);
    }

    /** LINE's answer to {@code line:quota-consumption}. */
    public void consumption(Exchange exchange) {
        String channel = exchange.getMessage().getHeader(LineConstants.CHANNEL, String.class);
        QuotaConsumptionResponse u = exchange.getMessage().getBody(QuotaConsumptionResponse.class);
        State before = state(channel);
        boolean recovered = !before.ok();
        states.put(channel, new State(clock.instant(), true, false, null, before.limit(), u == null || u.totalUsage() == null ? 0 : u.totalUsage()));
        if (recovered && before.checkedAt() != null) {
            LOG.info("LINE channel {}: reachable again", channel);
        }
    }

    /** A call failed: LINE not reached, the token refused, or another answer (the caught exception says which). */
    public void failed(Exchange exchange) {
        String channel = exchange.getMessage().getHeader(LineConstants.CHANNEL, String.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = e instanceof LineApiException l ? l.status() : 0;
        State before = state(channel);
        State now;
        if (status == 0) {
            now = new State(clock.instant(), false, false, "LINE not reached: " + (e == null ? "unknown" : e.getMessage()), before.limit(), before.used());
        } else if (status == 401 || status == 403) {
            now = new State(clock.instant(), true, true, "LINE refused the channel's access token (" + status + ")", before.limit(), before.used());
        } else if (status == 429) {
            // rate limited on the quota endpoints: LINE is there and the token was taken; keep the last figures
            now = new State(clock.instant(), true, false, null, before.limit(), before.used());
        } else {
            now = new State(clock.instant(), true, false, "LINE answered " + status + " to the quota check", before.limit(), before.used());
        }
        if (before.ok() || before.checkedAt() == null || !java.util.Objects.equals(before.problem(), now.problem())) {
            LOG.warn("LINE channel {}: {}", channel, now.problem() == null ? "rate limited on the quota check" : now.problem());
        }
        states.put(channel, now);
    }

    /** The channel's state as last read. */
    public State state(String channel) {
        State s = states.get(channel);
        return s != null ? s : new State(null, false, false, "not checked yet", Double.NaN, Double.NaN);
    }

    /** Every channel's state. */
    public Map<String, State> states() {
        return Map.copyOf(states);
    }
}
