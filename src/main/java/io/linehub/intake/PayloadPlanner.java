package io.linehub.intake;

import io.linehub.json.Json;
import io.linehub.channels.ChannelDefinition;
import io.linehub.channels.Channels;
import io.linehub.line.LineChannel;
import io.linehub.line.LineOperation;
import io.linehub.template.LinePayloads;
import io.linehub.template.RenderOptions;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.UUID;

/**
 * The channel policy's outcomes (routes/intake.camel.yaml decides which): each renders LINE's request for the
 * operation the policy chose, through {@link LinePayloads} like the preview, and notes the operation and the
 * policy's reason; {@link #refuse} refuses with the field, reason and kind the policy names. Nothing here
 * re-decides: an operation the recipient lacks the address for (say push without a LINE user ID) is a policy
 * that contradicts itself, and fails as an internal error instead of being refused.
 */
public class PayloadPlanner {

    private final LinePayloads payloads;
    private final Channels channels;

    public PayloadPlanner(LinePayloads payloads, Channels channels) {
        this.payloads = payloads;
        this.channels = channels;
    }

    /** Step 4 (before the policy): the business data fit the type's template, so a bad notification is refused early. */
    public void validate(PendingNotification n) {
        payloads.renderer().validate(n.type, n.data);
    }

    /** LINE notification message, template form, by hashed phone number. */
    public void lonTemplate(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.PNP_TEMPLATE, reason);
    }

    /** LINE notification message, flexible form, by hashed phone number. */
    public void lonFlex(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.PNP_FLEX, reason);
    }

    /** Push to the LINE user ID (given, or the customer's). */
    public void push(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.PUSH, reason);
    }

    /** Multicast to the user IDs given. */
    public void multicast(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.MULTICAST, reason);
    }

    /** Broadcast to every friend of the channel. */
    public void broadcast(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.BROADCAST, reason);
    }

    /** Narrowcast to an audience. */
    public void narrowcast(Exchange exchange, String reason) throws InvalidPayloadException {
        outcome(exchange, LineOperation.NARROWCAST, reason);
    }

    /**
     * The policy's choice: for a notification, its LINE request rendered now; for a file chunk's question
     * ({@link IntakeChunk.Question} as the body), the answer noted, to be applied to each row that asked it.
     */
    private void outcome(Exchange exchange, LineOperation operation, String reason) throws InvalidPayloadException {
        if (exchange.getMessage().getBody() instanceof IntakeChunk.Question q) {
            q.answer(operation, reason);
            return;
        }
        apply(exchange.getMessage().getMandatoryBody(PendingNotification.class), operation, reason);
    }

    /** Renders LINE's request for the operation the policy chose, and notes the operation and the policy's reason. */
    void apply(PendingNotification n, LineOperation operation, String reason) {
        n.operation = operation.uriName();
        n.decision = reason;
        n.templateVersion = payloads.renderer().templateVersion(n.type);
        RenderOptions options = renderOptions(n);
        switch (operation) {
            case PNP_TEMPLATE -> n.lineRequest = payloads.lonTemplate(needs(n.recipientHash, "a LINE notification message", "a usable phone number"),
                    n.type, n.data, options);
            case PNP_FLEX -> n.lineRequest = payloads.lonFlex(needs(n.recipientHash, "a LINE notification message", "a usable phone number"),
                    n.type, n.data, options);
            case PUSH -> {
                n.lineRequest = payloads.push(needs(n.userId, "a push", "a LINE user ID"), n.type, n.data, options);
                n.retryKey = UUID.randomUUID().toString();
                // pushes with the same content are packed into multicasts at delivery
                n.contentDigest = Sha256.hex(Json.write(n.lineRequest.get("messages")));
            }
            case MULTICAST -> {
                n.lineRequest = payloads.multicast(needs(n.userIds, "a multicast", "LINE user IDs"), n.type, n.data, options);
                n.retryKey = UUID.randomUUID().toString();
            }
            case BROADCAST -> {
                n.lineRequest = payloads.broadcast(n.type, n.data, options);
                n.retryKey = UUID.randomUUID().toString();
            }
            case NARROWCAST -> {
                n.lineRequest = payloads.narrowcast(needs(n.audienceGroupId, "a narrowcast", "an audience group ID"), n.type, n.data, options);
                n.retryKey = UUID.randomUUID().toString();
            }
            default -> throw new IllegalStateException("the channel policy chose " + operation + ", which intake does not send");
        }
    }

    /**
     * The policy refuses the notification: {@code kind} is a {@link RequestRejectedException.Kind} (INVALID,
     * UNREACHABLE, …), the trigger answers it its own way (the API with a status, a file row in its report).
     */
    public void refuse(String kind, String field, String reason) {
        throw new RequestRejectedException(RequestRejectedException.Kind.valueOf(kind), field, reason);
    }

    private static <T> T needs(T address, String operation, String what) {
        if (address == null) {
            throw new IllegalStateException("the channel policy chose " + operation + " for a recipient without " + what
                    + "; routes/intake.camel.yaml must refuse such a notification before choosing");
        }
        return address;
    }

    private RenderOptions renderOptions(PendingNotification n) {
        ChannelDefinition definition = channels.get(n.lineChannel);
        LineChannel channel = definition.line();
        if (n.language == null || !RenderOptions.LANGUAGES.contains(n.language)) {
            n.language = channel.defaultLanguage();
        }
        // the channel's own LON template keys (channels file) before config/templates' for its country
        return new RenderOptions(n.language, channel.country(), zoneOf(n.timeZone, n.recipientCountry), channel.buddhistEra(),
                channel.japaneseEra(), channel.rocYear(), definition.templateKeys());
    }

    private static ZoneId zoneOf(String timeZone, String country) {
        if (timeZone != null && !timeZone.isBlank()) {
            try {
                return ZoneId.of(timeZone);
            } catch (DateTimeException ignored) {
                // fall back to the country's zone
            }
        }
        return LinePayloads.defaultZone(country);
    }
}
