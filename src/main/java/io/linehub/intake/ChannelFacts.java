package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.linehub.channels.Channels;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Facts about the sending channel that the channel policy (routes/intake.camel.yaml) reads: whether LINE approved
 * it for flexible LINE notification messages ({@link HubHeaders#FLEX_APPROVED}).
 */
public class ChannelFacts {

    private final Channels channels;

    public ChannelFacts(Channels channels) {
        this.channels = channels;
    }

    public void resolve(Exchange exchange) throws InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        boolean approved = channels.find(n.lineChannel).map(c -> c.line().flexibleApproved()).orElse(false);
        exchange.getMessage().setHeader(HubHeaders.FLEX_APPROVED, approved);
    }
}
