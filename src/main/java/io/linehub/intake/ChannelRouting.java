package io.linehub.intake;

import io.linehub.channels.ChannelDefinition;
import io.linehub.channels.Channels;
import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The outcomes of the channel routing rule (routes/channel-routing.camel.yaml decides which): which LINE channel
 * (Official Account) a notification goes through when the request names none. The rule reads the facts
 * {@link RecipientFacts} put on the exchange ({@link HubHeaders#LINE_CHANNEL}, {@link HubHeaders#RECIPIENT_COUNTRY},
 * {@link HubHeaders#NOTIFICATION_TYPE}) and calls one of these.
 */
public class ChannelRouting {

    private final Channels channels;

    public ChannelRouting(Channels channels) {
        this.channels = channels;
    }

    /** The channel whose country is the recipient's, else {@code default}. */
    public void byCountry(Exchange exchange) throws InvalidPayloadException {
        String country = exchange.getProperty(HubHeaders.RECIPIENT_COUNTRY, String.class);
        choose(exchange, channels.forCountry(country).map(ChannelDefinition::name).orElse(Channels.DEFAULT));
    }

    /**
     * This channel (a rule that names one, e.g. by type). A name that is not configured (a rule left behind when a
     * channel was removed) refuses the notification on {@code channel}, as a request naming it would be: a 400, a
     * file row's report line, never an internal error.
     */
    public void use(Exchange exchange, String channel) throws InvalidPayloadException {
        if (channels.find(channel).isEmpty()) {
            throw new RequestRejectedException("channel", "the channel routing rule (routes/channel-routing.camel.yaml) chose the LINE channel '"
                    + channel + "', which is not configured; configured: " + new java.util.TreeSet<>(channels.names())
                    + "; name one in the request, or correct the rule");
        }
        choose(exchange, channel);
    }

    /** The channel the request named stays. */
    public void named(Exchange exchange) throws InvalidPayloadException {
        String named = exchange.getMessage().getBody() instanceof IntakeChunk.Question q ? q.routing().lineChannel()
                : exchange.getMessage().getMandatoryBody(PendingNotification.class).lineChannel;
        if (named == null) {
            throw new IllegalStateException("routes/channel-routing.camel.yaml kept the requested channel of a request that named none");
        }
        choose(exchange, named);
    }

    /** The notification's channel; for a file chunk's question ({@link IntakeChunk.Question}), the answer noted. */
    private static void choose(Exchange exchange, String channel) throws InvalidPayloadException {
        if (exchange.getMessage().getBody() instanceof IntakeChunk.Question q) {
            q.answer(channel);
        } else {
            exchange.getMessage().getMandatoryBody(PendingNotification.class).lineChannel = channel;
        }
        exchange.setProperty(HubHeaders.LINE_CHANNEL, channel);
    }
}
