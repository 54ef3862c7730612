package io.linehub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.ext.web.Router;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/bot/message/narrowcast} (202 {}, README §5.3) and
 * {@code GET /v2/bot/message/progress/narrowcast?requestId=} (README §5.4).
 *
 * <p>The sandbox does not evaluate {@code recipient} or {@code filter}: a narrowcast targets every friend who has
 * not blocked the OA, capped by {@code limit.max} (and by the remaining quota with {@code limit.upToRemainingQuota}).
 * With {@code recipient} or {@code filter} present and fewer than {@link SandboxConfig#narrowcastMinRecipients()}
 * targets it ends {@code failed} with errorCode 2; with {@link SandboxConfig#narrowcastErrorCode()} set it ends
 * failed with that code. The phase follows the configured clock: {@code waiting} for
 * {@link SandboxConfig#narrowcastWaiting()}, then {@code sending} for {@link SandboxConfig#narrowcastSending()}
 * (successCount growing linearly), then {@code succeeded} / {@code failed}. Progress is kept 14 days.
 */
final class NarrowcastEndpoints implements SandboxEndpoint {

    static final Duration KEPT = Duration.ofDays(14);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final Map<Integer, String> FAILED_DESCRIPTIONS = Map.of(
            1, "An internal error occurred",
            2, "There weren't enough recipients",
            3, "A request that has already been accepted was retried",
            4, "An audience of less than 50 recipients is included",
            5, "Delivery was canceled to prevent delivery to only a subset of the target audience");

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.post(ApiPath.NARROWCAST.path()).handler(sandbox.lineApi(ApiPath.NARROWCAST, this::narrowcast));
        router.get(ApiPath.NARROWCAST_PROGRESS.path()).handler(sandbox.lineApi(ApiPath.NARROWCAST_PROGRESS, this::progress));
    }

    private void narrowcast(LineCall call) {
        ChannelState channel = call.requireChannel();
        JsonNode root = UserIdSendEndpoints.sendRequest(call);
        String key = call.retryKey();
        SandboxContext sandbox = call.sandbox();
        List<String> targets = channel.followers();
        JsonNode limit = root.path("limit");
        if (limit.path("max").isIntegralNumber() && limit.get("max").asLong() < targets.size()) {
            targets = targets.subList(0, (int) limit.get("max").asLong());
        }
        Long quota = channel.quota();
        if (limit.path("upToRemainingQuota").asBoolean(false) && quota != null) {
            long remaining = Math.max(0, quota - channel.usage().get());
            if (remaining < targets.size()) {
                targets = targets.subList(0, (int) remaining);
            }
        }
        Integer errorCode = sandbox.narrowcastErrorCode();
        boolean targeted = PnpTemplatedPushEndpoint.present(root.get("recipient")) != null
                || PnpTemplatedPushEndpoint.present(root.get("filter")) != null;
        if (errorCode == null && targeted && targets.size() < sandbox.config().narrowcastMinRecipients()) {
            errorCode = 2;
        }
        List<String> reached = errorCode == null ? targets : List.of();
        sandbox.commit(call, channel, key, reached, reached.size(), null, 0, null);
        channel.addNarrowcast(new ChannelState.Narrowcast(call.requestId(), call.at(), targets.size(), errorCode));
        call.respond(202, Map.of());
    }

    private void progress(LineCall call) {
        ChannelState channel = call.requireChannel();
        call.retryKey(); // refused here
        String id = call.queryParam("requestId");
        if (id == null || id.isBlank()) {
            throw new ErrorAnswer(400, LineError.of("The value for the 'requestId' parameter is invalid"));
        }
        call.validateSchema();
        ChannelState.Narrowcast n = channel.narrowcast(id);
        Instant now = call.at();
        if (n == null || !now.isBefore(n.acceptedAt().plus(KEPT))) {
            throw new ErrorAnswer(404, LineError.of("Not found"));
        }
        SandboxConfig config = call.sandbox().config();
        Instant sendingFrom = n.acceptedAt().plus(config.narrowcastWaiting());
        Instant doneAt = sendingFrom.plus(config.narrowcastSending());
        Map<String, Object> body = new LinkedHashMap<>();
        if (now.isBefore(sendingFrom)) {
            body.put("phase", "waiting");
        } else if (now.isBefore(doneAt)) {
            long total = Math.max(1, Duration.between(sendingFrom, doneAt).toMillis());
            long done = Duration.between(sendingFrom, now).toMillis();
            body.put("phase", "sending");
            body.put("successCount", n.errorCode() == null ? n.targetCount() * done / total : 0);
            body.put("failureCount", 0);
            body.put("targetCount", n.targetCount());
        } else if (n.errorCode() == null) {
            body.put("phase", "succeeded");
            body.put("successCount", n.targetCount());
            body.put("failureCount", 0);
            body.put("targetCount", n.targetCount());
        } else {
            body.put("phase", "failed");
            body.put("successCount", 0);
            body.put("failureCount", 0);
            body.put("targetCount", n.targetCount());
            body.put("failedDescription", FAILED_DESCRIPTIONS.get(n.errorCode()));
            body.put("errorCode", n.errorCode());
        }
        body.put("acceptedTime", TIME.format(n.acceptedAt()));
        if (!now.isBefore(doneAt)) {
            body.put("completedTime", TIME.format(doneAt));
        }
        call.respond(200, body);
    }
}
