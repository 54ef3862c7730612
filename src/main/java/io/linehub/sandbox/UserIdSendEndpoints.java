package io.linehub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.ext.web.Router;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Messaging-API sends to friends (README §5.1, §5.2, §6): {@code POST /v2/bot/message/push}, {@code multicast} and
 * {@code broadcast}. Retry keys (README §3), the monthly quota (README §7) and the per-day sent counts apply.
 * Only friends who have not blocked the OA are reached and counted (README §8).
 */
final class UserIdSendEndpoints implements SandboxEndpoint {

    static final String FAILED = "Failed to send messages";
    /** Message types that get a quoteToken (README §5.1: "quoteToken only for quotable types"). */
    static final Set<String> QUOTABLE = Set.of("text", "textV2", "sticker", "image", "video");

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.post(ApiPath.PUSH.path()).handler(sandbox.lineApi(ApiPath.PUSH, this::push));
        router.post(ApiPath.MULTICAST.path()).handler(sandbox.lineApi(ApiPath.MULTICAST, this::multicast));
        router.post(ApiPath.BROADCAST.path()).handler(sandbox.lineApi(ApiPath.BROADCAST, this::broadcast));
    }

    /** Common start of a send: token, content type, JSON, retry key, schema. */
    static JsonNode sendRequest(LineCall call) {
        JsonNode root = call.jsonRequest();
        PnpTemplatedPushEndpoint.requireObject(root);
        call.validateSchema();
        // what the handlers rely on, also when schema validation is switched off
        if (!root.path("messages").isArray() || root.path("messages").isEmpty()) {
            throw new ErrorAnswer(400, LineError.bodyErrors(List.of(new LineError.Detail("May not be empty", "messages"))));
        }
        return root;
    }

    private static void requireTo(JsonNode root, boolean array) {
        JsonNode to = root.path("to");
        if (array ? !to.isArray() || to.isEmpty() : !to.isTextual()) {
            throw new ErrorAnswer(400, LineError.bodyErrors(List.of(new LineError.Detail("May not be empty", "to"))));
        }
    }

    private void push(LineCall call) {
        ChannelState channel = call.requireChannel();
        JsonNode root = sendRequest(call);
        String key = call.retryKey();
        requireTo(root, false);
        String to = root.get("to").asText();
        List<String> recipients;
        long units;
        if (ChannelState.USER_ID.matcher(to).matches()) {
            Boolean friend = channel.friendState(to);
            if (friend == null) {
                throw new ErrorAnswer(400, LineError.of(FAILED));
            }
            recipients = friend ? List.of(to) : List.of(); // blocked: 200, nothing delivered, nothing counted
            units = recipients.size();
        } else if (ChannelState.GROUP_OR_ROOM_ID.matcher(to).matches() && channel.groupMembers(to) != null) {
            recipients = List.of(to);
            units = channel.groupMembers(to);
        } else {
            throw new ErrorAnswer(400, LineError.of(FAILED));
        }
        List<Map<String, String>> sentMessages = new ArrayList<>();
        for (JsonNode m : root.get("messages")) {
            Map<String, String> sm = new LinkedHashMap<>();
            sm.put("id", call.sandbox().nextMessageId());
            if (QUOTABLE.contains(m.path("type").asText())) {
                sm.put("quoteToken", quoteToken());
            }
            sentMessages.add(sm);
        }
        call.sandbox().commit(call, channel, key, recipients, units, ChannelState.Counter.PUSH, units, sentMessages);
        call.respond(200, Map.of("sentMessages", sentMessages));
    }

    private void multicast(LineCall call) {
        ChannelState channel = call.requireChannel();
        JsonNode root = sendRequest(call);
        String key = call.retryKey();
        requireTo(root, true);
        JsonNode to = root.get("to");
        Set<String> recipients = new LinkedHashSet<>();
        for (int i = 0; i < to.size(); i++) {
            String id = to.get(i).asText();
            if (!ChannelState.USER_ID.matcher(id).matches()) {
                throw PnpTemplatedPushEndpoint.invalidProperty("to[" + i + "]");
            }
            if (Boolean.TRUE.equals(channel.friendState(id))) {
                recipients.add(id); // unknown, blocked: silently skipped (README §5.2)
            }
        }
        call.sandbox().commit(call, channel, key, List.copyOf(recipients), recipients.size(),
                ChannelState.Counter.MULTICAST, recipients.size(), null);
        call.respond(200, Map.of());
    }

    private void broadcast(LineCall call) {
        ChannelState channel = call.requireChannel();
        sendRequest(call);
        String key = call.retryKey();
        List<String> recipients = channel.followers();
        call.sandbox().commit(call, channel, key, recipients, recipients.size(),
                ChannelState.Counter.BROADCAST, recipients.size(), null);
        call.respond(200, Map.of());
    }

    static String quoteToken() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        ByteBuffer buf = ByteBuffer.allocate(32);
        buf.putLong(a.getMostSignificantBits()).putLong(a.getLeastSignificantBits())
                .putLong(b.getMostSignificantBits()).putLong(b.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }
}
