package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.Locale;

/**
 * The facts the two deciding routes read, in one place: routes/channel-routing.camel.yaml (which LINE channel) and
 * the {@code channel-policy} route of routes/intake.camel.yaml (which delivery kind, or a refusal). Each route's
 * header comment lists them; these records are that list in Java. The same code puts them on the exchange of an API
 * request ({@code direct:intake}) and on the question a file's chunk asks ({@link IntakeChunk}), and a record is the
 * key under which a chunk remembers a route's answer: two notifications with equal facts get the same answer, so the
 * routes are asked once per distinct record in a chunk. A rule that reads anything else (the body, other headers)
 * sees it on an API request but not on a file row's question: the route comments say so.
 */
final class DecisionFacts {

    private DecisionFacts() {
    }

    /** What the channel routing rule reads. */
    record Routing(String lineChannel, String recipientCountry, String type, String customerId) {

        void putOn(Exchange exchange) {
            exchange.setProperty(HubHeaders.LINE_CHANNEL, lineChannel);
            exchange.setProperty(HubHeaders.RECIPIENT_COUNTRY, recipientCountry);
            exchange.setProperty(HubHeaders.NOTIFICATION_TYPE, type);
            if (customerId != null) {
                exchange.getMessage().setHeader(HubHeaders.CUSTOMER_ID, customerId);
            }
        }
    }

    /** What the channel policy reads (its outcome methods' arguments included: the refusal reasons quote some). */
    record Policy(String via, String recipient, boolean friend, boolean userIdKnown, boolean lonReachable, String phoneProblem,
                  boolean userIds, boolean audience, boolean flexApproved, String lineChannel) {

        void putOn(Exchange exchange) {
            putRecipientPart(exchange);
            Message m = exchange.getMessage();
            m.setHeader(HubHeaders.FLEX_APPROVED, flexApproved);
            m.setHeader(HubHeaders.FRIEND, friend);
            exchange.setProperty(HubHeaders.LINE_CHANNEL, lineChannel);
        }

        /** The facts known before routing (the API path sets them at recipientFacts.resolveRecipient, as it always has). */
        void putRecipientPart(Exchange exchange) {
            Message m = exchange.getMessage();
            m.setHeader(HubHeaders.VIA, via);
            m.setHeader(HubHeaders.AUDIENCE, audience);
            m.setHeader(HubHeaders.USER_IDS, userIds);
            m.setHeader(HubHeaders.LON_REACHABLE, lonReachable);
            // properties, not headers: the headers above are what an API response has always carried
            exchange.setProperty(HubHeaders.RECIPIENT, recipient);
            exchange.setProperty(HubHeaders.USER_ID_KNOWN, userIdKnown);
            exchange.setProperty(HubHeaders.PHONE_PROBLEM, phoneProblem);
        }
    }

    static Routing routing(PendingNotification n) {
        return new Routing(n.lineChannel, n.recipientCountry != null ? n.recipientCountry
                : n.region != null && !n.region.isBlank() ? n.region.toUpperCase(Locale.ROOT) : null, n.type, n.customerId);
    }

    /** The policy's facts of {@code n}; {@code friend} and {@code flexApproved} are those of its channel once routing chose it. */
    static Policy policy(PendingNotification n) {
        return new Policy(n.via, n.recipientForm, n.pushable, n.userId != null, n.isLonReachable(),
                n.isLonReachable() ? null : n.phoneProblem != null ? n.phoneProblem : "no phone number",
                n.userIds != null, n.audienceGroupId != null, n.flexApproved, n.lineChannel);
    }
}
