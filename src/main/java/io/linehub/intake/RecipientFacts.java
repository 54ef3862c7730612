package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.linehub.phone.InvalidPhoneNumberException;
import io.linehub.phone.PhoneNumbers;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Steps 2 and 3 of {@code direct:intake}: what is known about the recipient — the customer's row, friend status,
 * the number normalised to E.164, hashed as LINE wants and masked — put where the channel policy
 * (routes/intake.camel.yaml) reads it. These are facts only: which LINE operation follows from them, or whether
 * the notification is refused, is decided by the policy alone.
 */
public class RecipientFacts {


    private final String defaultRegion;

    public RecipientFacts(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** Step 2 (customers only): the row the customer lookup found, or a 400 when there is none. */
    public void applyCustomer(Exchange exchange) throws InvalidPayloadException {
        Message m = exchange.getMessage();
        PendingNotification n = m.getMandatoryBody(PendingNotification.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = m.getHeader(HubHeaders.CUSTOMER_ROW, Map.class);
        m.removeHeader(HubHeaders.CUSTOMER_ROW);
        applyCustomerRow(n, row);
    }

    /** {@link #applyCustomer(Exchange)} without an exchange (a file's chunk, {@link IntakeChunk}). */
    void applyCustomerRow(PendingNotification n, Map<String, Object> row) {
        if (n.customerId == null) {
            return;
        }
        if (row == null) {
            throw new RequestRejectedException("to.customerId", "no customer with this id");
        }
        Map<String, Object> c = lowerCaseKeys(row);
        n.rawPhone = (String) c.get("phone");
        n.phoneField = "to.customerId";
        Object uid = c.get("line_user_id");
        if (uid instanceof String u && NotificationParser.USER_ID.matcher(u).matches()) {
            n.userId = u;
            // whether they follow the sending channel is known once the channel is (ChannelFacts, after routing)
            n.customerSaysFriend = Boolean.TRUE.equals(c.get("is_friend"));
        }
        n.region = (String) c.get("country_code");
        if (n.language == null) {
            n.language = (String) c.get("language");
        }
        n.timeZone = (String) c.get("time_zone");
    }

    /**
     * Step 3: the facts the channel policy decides on. A number is normalised to E.164 with libphonenumber,
     * hashed as LINE wants and masked; the raw number is dropped. A number that cannot be used is a fact too
     * ({@link HubHeaders#PHONE_PROBLEM}): the policy refuses a number given in the request that LINE cannot reach, while a
     * customer with such a number may still be reached by user ID.
     */
    public void resolveRecipient(Exchange exchange) throws InvalidPayloadException {
        PendingNotification n = exchange.getMessage().getMandatoryBody(PendingNotification.class);
        resolve(n);
        DecisionFacts.policy(n).putRecipientPart(exchange);
        // what the channel routing rule (routes/channel-routing.camel.yaml) reads
        DecisionFacts.routing(n).putOn(exchange);
    }

    /** {@link #resolveRecipient} without an exchange: the facts are kept in {@code n} (a file's chunk, {@link IntakeChunk}). */
    void resolve(PendingNotification n) {
        if (n.rawPhone != null && !n.rawPhone.isBlank()) {
            String region = n.region != null && !n.region.isBlank() ? n.region : defaultRegion;
            try {
                PhoneNumbers.Parsed number = PhoneNumbers.parse(n.rawPhone, region);
                String country = number.region();
                n.recipientMasked = number.masked();
                n.recipientCountry = country;
                if (PhoneNumbers.LON_REGIONS.contains(country)) {
                    n.recipientHash = PhoneNumbers.hash(number.e164());
                } else {
                    n.phoneProblem = "the number is from " + country + "; LINE notification messages reach only numbers from Japan, Thailand and Taiwan";
                }
            } catch (InvalidPhoneNumberException e) {
                n.phoneProblem = (n.phoneField.equals("to.phone") ? "" : "the customer's phone number ") + e.getMessage();
            }
        } else if (n.customerId != null) {
            n.phoneProblem = "the customer has no phone number";
        }
        n.rawPhone = null;
    }

    private static Map<String, Object> lowerCaseKeys(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
