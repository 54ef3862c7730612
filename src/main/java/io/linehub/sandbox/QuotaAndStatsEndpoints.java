package io.linehub.sandbox;

import io.vertx.ext.web.Router;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Monthly quota and sent counts (README §4.6, §7): {@code GET /v2/bot/message/quota},
 * {@code /quota/consumption} and {@code /delivery/{pnp/templated, pnp, push, multicast, broadcast}?date=yyyyMMdd}.
 *
 * <p>Sent counts are per day in UTC+9: {@code out_of_service} before 2018-03-31, {@code unready} for today and later
 * (not aggregated yet), else {@code ready} with {@code success} (LONs: those delivered, i.e. not drawn undelivered;
 * push/multicast/broadcast: messages reaching friends). Usage never rolls over by month in the sandbox.
 */
final class QuotaAndStatsEndpoints implements SandboxEndpoint {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    static final LocalDate FIRST_DAY = LocalDate.of(2018, 3, 31);
    static final String BAD_DATE = "The value for the 'date' parameter is invalid";

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.get(ApiPath.QUOTA.path()).handler(sandbox.lineApi(ApiPath.QUOTA, this::quota));
        router.get(ApiPath.QUOTA_CONSUMPTION.path()).handler(sandbox.lineApi(ApiPath.QUOTA_CONSUMPTION, this::consumption));
        stats(router, sandbox, ApiPath.DELIVERY_PNP_TEMPLATED, ChannelState.Counter.PNP_TEMPLATED);
        stats(router, sandbox, ApiPath.DELIVERY_PNP, ChannelState.Counter.PNP_FLEXIBLE);
        stats(router, sandbox, ApiPath.DELIVERY_PUSH, ChannelState.Counter.PUSH);
        stats(router, sandbox, ApiPath.DELIVERY_MULTICAST, ChannelState.Counter.MULTICAST);
        stats(router, sandbox, ApiPath.DELIVERY_BROADCAST, ChannelState.Counter.BROADCAST);
    }

    private void quota(LineCall call) {
        ChannelState channel = call.requireChannel();
        call.retryKey();
        call.validateSchema();
        Long limit = channel.quota();
        Map<String, Object> body = new LinkedHashMap<>();
        if (limit == null) {
            body.put("type", "none");
        } else {
            body.put("type", "limited");
            body.put("value", limit);
        }
        call.respond(200, body);
    }

    private void consumption(LineCall call) {
        ChannelState channel = call.requireChannel();
        call.retryKey();
        call.validateSchema();
        call.respond(200, Map.of("totalUsage", channel.usage().get()));
    }

    private static void stats(Router router, SandboxContext sandbox, ApiPath endpoint, ChannelState.Counter counter) {
        router.get(endpoint.path()).handler(sandbox.lineApi(endpoint, call -> {
            ChannelState channel = call.requireChannel();
            call.retryKey();
            LocalDate day = parseDate(call.queryParam("date"));
            call.validateSchema();
            LocalDate today = call.at().atOffset(ChannelState.STATS_ZONE).toLocalDate();
            Map<String, Object> body = new LinkedHashMap<>();
            if (day.isBefore(FIRST_DAY)) {
                body.put("status", "out_of_service");
            } else if (!day.isBefore(today)) {
                body.put("status", "unready");
            } else {
                body.put("status", "ready");
                body.put("success", channel.counted(counter, day));
            }
            call.respond(200, body);
        }));
    }

    static LocalDate parseDate(String date) {
        if (date == null || !date.matches("^[0-9]{8}$")) {
            throw new ErrorAnswer(400, LineError.of(BAD_DATE));
        }
        try {
            return LocalDate.parse(date, DATE);
        } catch (DateTimeParseException e) {
            throw new ErrorAnswer(400, LineError.of(BAD_DATE));
        }
    }
}
