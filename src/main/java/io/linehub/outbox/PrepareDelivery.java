package io.linehub.outbox;

import io.linehub.headers.HubHeaders;
import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;


/** The deliver route's first step: turns a claimed outbox entry into the LINE request. */
public class PrepareDelivery implements Processor {

    private final RateBudgets budgets;
    private final InFlight inFlight;

    public PrepareDelivery(RateBudgets budgets, InFlight inFlight) {
        this.budgets = budgets;
        this.inFlight = inFlight;
    }

    /** The LINE request from the claimed entry: body, channel, operation, delivery tag, retry key, rate budget. */
    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        Message m = exchange.getMessage();
        OutboxEntry e = m.getMandatoryBody(OutboxEntry.class);
        exchange.setProperty(HubHeaders.OUTBOX_ENTRY, e);
        // however the exchange ends, the entry no longer counts as held in memory (normally released earlier, once
        // LINE's answer is recorded: the rate window that follows holds a permit, not a claimed row)
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inFlight.release(done);
            }
        });
        m.setHeader(HubHeaders.NOTIFICATION_ID, e.id());
        m.setHeader(HubHeaders.LINE_OPERATION, e.lineOperation());
        m.setHeader(HubHeaders.RECIPIENTS, e.isBatch() ? e.memberIds().size() : 1);
        m.setHeader(LineConstants.CHANNEL, e.channel());
        m.setHeader(HubHeaders.RATE_BUDGET, budgets.budget(e.channel(), e.lineOperation()));
        m.setHeader(HubHeaders.RATE_KEY, e.channel() + ":" + e.lineOperation());
        if (e.deliveryTag() != null) {
            m.setHeader(LineConstants.DELIVERY_TAG, e.deliveryTag());
        }
        if (e.retryKey() != null) {
            m.setHeader(LineConstants.RETRY_KEY, e.retryKey());
        }
        m.setBody(e.lineRequestJson());
    }
}
