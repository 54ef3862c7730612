package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineChannels;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Facts about the sending channel that the channel policy (routes/intake.camel.yaml) reads: whether LINE approved
 * it for flexible LINE notification messages ({@link HubHeaders#FLEX_APPROVED}).
 */
public class ChannelFacts {

    private final LineChannels channels;

    public ChannelFacts(LineChannels channels) {
        this.channels = channels;
    }

    public void resolve(Exchange exchange) throws InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        boolean approved = channels.find(n.lineChannel).map(c -> c.flexibleApproved()).orElse(false);
        exchange.getMessage().setHeader(HubHeaders.FLEX_APPROVED, approved);
    }
}
