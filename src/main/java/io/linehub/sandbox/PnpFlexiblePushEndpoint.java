package io.linehub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.Router;

import java.util.Set;

/**
 * {@code POST /bot/pnp/push} — send a LINE notification message (flexible), README §4.5: 200 {} for a hashed
 * number of a LINE user, 422 otherwise; no retry key; no image, video or audio messages; then the delivery
 * completion webhook as for template LONs (README §10.4).
 */
final class PnpFlexiblePushEndpoint implements SandboxEndpoint {

    /** Message types a flexible LON may carry (README §4.1, §4.5: no image, video or audio). */
    static final Set<String> ALLOWED_TYPES = Set.of("text", "textV2", "sticker", "location", "imagemap", "template", "flex");
    static final String ALLOWED_TYPES_MESSAGE = "Must be one of the following values: [text, textV2, sticker, location, imagemap, template, flex]";

    @Override
    public void mount(Router router, SandboxContext sandbox) {
        router.post(ApiPath.PNP_FLEXIBLE_PUSH.path()).handler(sandbox.lineApi(ApiPath.PNP_FLEXIBLE_PUSH, this::handle));
    }

    private void handle(LineCall call) {
        ChannelState channel = call.requireChannel();
        JsonNode root = call.jsonRequest();

        PnpTemplatedPushEndpoint.Errors errors = new PnpTemplatedPushEndpoint.Errors();
        String tag = PnpTemplatedPushEndpoint.deliveryTag(call, errors);
        PnpTemplatedPushEndpoint.requireObject(root);
        String to = PnpTemplatedPushEndpoint.optionalString(root, "to", "to");
        if (to == null || !PhoneDirectory.SHA256_HEX.matcher(to).matches()) {
            errors.add(PnpTemplatedPushEndpoint.NOT_A_DIGEST, "to");
        }
        JsonNode messages = PnpTemplatedPushEndpoint.present(root.get("messages"));
        if (messages != null && messages.isArray()) {
            for (int i = 0; i < messages.size(); i++) {
                JsonNode type = messages.get(i).get("type");
                if (type != null && type.isTextual() && Set.of("image", "video", "audio", "coupon").contains(type.asText())) {
                    errors.add(ALLOWED_TYPES_MESSAGE, "messages[" + i + "].type");
                }
            }
        }
        PnpTemplatedPushEndpoint.validateUnits((ObjectNode) root, errors);
        if (!errors.isEmpty()) {
            throw new ErrorAnswer(400, LineError.bodyErrors(errors.list));
        }
        call.validateSchema();
        PnpTemplatedPushEndpoint.acceptLon(call, channel, to, tag, ChannelState.Counter.PNP_FLEXIBLE, 200);
    }
}
