package io.linehub.intake;

import io.linehub.channels.Channels;
import io.linehub.friends.FriendStatus;
import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import java.util.Optional;

/**
 * Facts about the sending channel that the channel policy (routes/intake.camel.yaml) reads, once routing has chosen
 * it: whether LINE approved it for flexible LINE notification messages ({@link HubHeaders#FLEX_APPROVED}), and
 * whether the recipient's LINE user ID may be pushed to on it ({@link HubHeaders#FRIEND}: the customer follows this
 * channel, by its own friend status from LINE's webhooks, else the company's data).
 */
public class ChannelFacts {

    private final Channels channels;
    private final FriendStatus friends;

    public ChannelFacts(Channels channels, FriendStatus friends) {
        this.channels = channels;
        this.friends = friends;
    }

    public void resolve(Exchange exchange) throws InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        applyTo(n);
        // every fact the policy reads, from one place (DecisionFacts): the same a file's chunk asks the policy with
        DecisionFacts.policy(n).putOn(exchange);
    }

    /** {@link #resolve(Exchange)} without an exchange: the facts are kept in {@code n} (a file's chunk, {@link IntakeChunk}). */
    void applyTo(PendingNotification n) {
        if (channels.find(n.lineChannel).isEmpty()) {
            throw new IllegalStateException("no LINE channel chosen for the notification: routes/channel-routing.camel.yaml must choose one");
        }
        n.flexApproved = channels.get(n.lineChannel).line().flexibleApproved();
        if (n.userId != null && n.customerId != null) {
            Optional<FriendStatus.Status> known = friends.status(n.lineChannel, n.userId);
            n.friend = known.map(st -> st == FriendStatus.Status.FOLLOWING).orElse(n.customerSaysFriend);
        }
        // a user ID given in the request is taken as the caller's word that the user can receive a push
        n.pushable = n.userId != null && (n.customerId == null || n.friend);
    }
}
