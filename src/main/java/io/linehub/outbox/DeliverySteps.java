package io.linehub.outbox;

import io.linehub.line.LineConstants;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/** The delivery routes' steps around the {@code line:} call: what to send, and recording LINE's answer. */
public class DeliverySteps {

    /** Headers the delivery routes carry between steps. */
    public static final String NOTIFICATION_ID = "HubNotificationId";
    public static final String LINE_OPERATION = "HubLineOperation";
    public static final String RECIPIENTS = "HubRecipients";
    /** Exchange property holding the claimed {@link OutboxEntry}. */
    public static final String ENTRY = "HubOutboxEntry";
    public static final String STARTED_AT = "HubAttemptStartedAt";
    /** Headers for the throttle: the requests per second allowed, and the channel:operation it is counted under. */
    public static final String RATE_BUDGET = "HubRateBudget";
    public static final String RATE_KEY = "HubRateKey";
    private static final String RELEASED = "HubClaimReleased";

    private static final Logger LOG = LoggerFactory.getLogger(DeliverySteps.class);

    private final Outbox outbox;
    private final RateBudgets budgets;
    /** Claimed entries not finished yet (in the hand-over queue, waiting in the throttle, or at LINE). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Entries finished per second over the last seconds: how much may be claimed ahead. */
    private final java.util.concurrent.atomic.AtomicLongArray finishedPerSecond = new java.util.concurrent.atomic.AtomicLongArray(8);
    private final java.util.concurrent.atomic.AtomicLongArray finishedSecond = new java.util.concurrent.atomic.AtomicLongArray(8);
    static final int MIN_AHEAD = 50;

    public DeliverySteps(Outbox outbox, RateBudgets budgets) {
        this.outbox = outbox;
        this.budgets = budgets;
    }

    private void finished() {
        long second = System.currentTimeMillis() / 1000;
        int slot = (int) (second % finishedSecond.length());
        if (finishedSecond.getAndSet(slot, second) != second) {
            finishedPerSecond.set(slot, 0);
        }
        finishedPerSecond.incrementAndGet(slot);
    }

    /**
     * Entries finished per second lately: the average over the last four whole seconds, or the last whole second
     * alone when that was busier (so that after a quiet spell the claims catch up within seconds, not four).
     */
    double recentRate() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        long last = 0;
        for (long s = now - 4; s < now; s++) {
            int slot = (int) (s % finishedSecond.length());
            if (finishedSecond.get(slot) == s) {
                sum += finishedPerSecond.get(slot);
                if (s == now - 1) {
                    last = finishedPerSecond.get(slot);
                }
            }
        }
        return Math.max(sum / 4.0, last);
    }

    /** Turns a claimed outbox entry into the LINE request: body, channel, operation, delivery tag, retry key. */
    public void prepare(Exchange exchange) throws InvalidPayloadException {
        Message m = exchange.getMessage();
        OutboxEntry e = m.getMandatoryBody(OutboxEntry.class);
        exchange.setProperty(ENTRY, e);
        // however the exchange ends, the entry no longer counts as held in memory (normally released earlier, once
        // LINE's answer is recorded: the rate window that follows holds a permit, not a claimed row)
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                release(done);
            }
        });
        m.setHeader(NOTIFICATION_ID, e.id());
        m.setHeader(LINE_OPERATION, e.lineOperation());
        m.setHeader(RECIPIENTS, e.isBatch() ? e.memberIds().size() : 1);
        m.setHeader(LineConstants.CHANNEL, e.channel());
        m.setHeader(RATE_BUDGET, budgets.budget(e.channel(), e.lineOperation()));
        m.setHeader(RATE_KEY, e.channel() + ":" + e.lineOperation());
        if (e.deliveryTag() != null) {
            m.setHeader(LineConstants.DELIVERY_TAG, e.deliveryTag());
        }
        if (e.retryKey() != null) {
            m.setHeader(LineConstants.RETRY_KEY, e.retryKey());
        }
        m.setBody(e.lineRequestJson());
    }

    /** The claimed entry is done with (its outcome recorded, or the exchange over): it no longer counts as held. */
    void release(Exchange exchange) {
        if (exchange.getProperty(RELEASED) == null) {
            exchange.setProperty(RELEASED, Boolean.TRUE);
            inFlight.decrementAndGet();
            finished();
        }
    }

    /**
     * Claims as many due notifications as may be held in memory ({@code maxInFlight}: in the hand-over queue, in
     * the throttle, at LINE), so none waits long enough for its lease to run out.
     */
    public List<OutboxEntry> claim(int batchSize, int maxInFlight) {
        // claim while fewer than about two seconds of what the senders finish lately are held (never more than
        // maxInFlight); a claim takes up to batchSize rows, so packed pushes still fill whole multicasts
        int ahead = (int) Math.min(maxInFlight, Math.max(MIN_AHEAD, 2 * recentRate()));
        if (inFlight.get() >= ahead) {
            return List.of();
        }
        List<OutboxEntry> claimed = outbox.claimDue(batchSize);
        inFlight.addAndGet(claimed.size());
        return claimed;
    }

    /**
     * Right before the request leaves (after the throttle): the attempt's start time. A claim held so long that
     * its lease may have run out is not sent: its row has been, or will be, taken back by the outbox.
     */
    public boolean starting(Exchange exchange) {
        OutboxEntry e = exchange.getProperty(ENTRY, OutboxEntry.class);
        Instant now = Instant.now();
        exchange.setProperty(STARTED_AT, now);
        if (now.isAfter(e.claimedAt().plus(outbox.settings().lease().dividedBy(2)))) {
            LOG.warn("{} {} waited past half its lease before sending; not sent now, the outbox takes it back", e.isBatch() ? "batch" : "notification", e.id());
            return false;
        }
        return true;
    }

    /** LINE accepted the request: what to record. */
    Outbox.Outcome sentOutcome(Exchange exchange) {
        Message m = exchange.getMessage();
        OutboxEntry e = exchange.getProperty(ENTRY, OutboxEntry.class);
        String requestId = m.getHeader(LineConstants.ACCEPTED_REQUEST_ID, m.getHeader(LineConstants.REQUEST_ID, String.class), String.class);
        return Outbox.Outcome.sent(e, startedAt(exchange), m.getHeader(LineConstants.HTTP_STATUS, Integer.class), requestId);
    }

    /** LINE refused the request or did not answer (the caught exception): what to record. */
    Outbox.Outcome failedOutcome(Exchange exchange) {
        OutboxEntry e = exchange.getProperty(ENTRY, OutboxEntry.class);
        return Outbox.Outcome.failed(e, startedAt(exchange), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    static void logOutcome(Outbox.Outcome o, NotificationStatus next) {
        OutboxEntry e = o.entry();
        if (o.failure() == null) {
            LOG.debug("{} {} sent to LINE ({} {})", e.isBatch() ? "multicast batch" : "notification", e.id(), o.httpStatus(), o.lineRequestId());
        } else {
            LOG.warn("{} {} not sent, now {}: {}", e.isBatch() ? "multicast batch" : "notification", e.id(), next, o.failure().getMessage());
        }
    }

    private static Instant startedAt(Exchange exchange) {
        Instant t = exchange.getProperty(STARTED_AT, Instant.class);
        return t != null ? t : exchange.getProperty(ENTRY, OutboxEntry.class).claimedAt();
    }

    /** LINE's delivery-completion webhook event for a channel. */
    public void delivered(Exchange exchange) {
        Message m = exchange.getMessage();
        String channel = m.getHeader("channel", String.class);
        String data = m.getHeader(LineConstants.DELIVERY_DATA, String.class);
        if (!outbox.markDelivered(channel, data)) {
            LOG.info("delivery event on channel {} matched no notification awaiting delivery", channel);
        }
    }

    /** Narrowcast progress poll: the body is {id, channel, LINE request ID} from {@link Outbox#narrowcastsInProgress}. */
    public void progressRequest(Exchange exchange) throws InvalidPayloadException {
        String[] n = exchange.getMessage().getMandatoryBody(String[].class);
        Message m = exchange.getMessage();
        m.setHeader(NOTIFICATION_ID, n[0]);
        m.setHeader(LineConstants.CHANNEL, n[1]);
        m.setHeader(LineConstants.NARROWCAST_REQUEST_ID, n[2]);
        m.setBody(null);
    }

    /** Narrowcast progress answer: a final phase completes the notification. */
    public void progressResult(Exchange exchange) {
        Message m = exchange.getMessage();
        var progress = m.getBody(io.linehub.line.model.NarrowcastProgressResponse.class);
        if (progress != null && progress.finished()) {
            boolean ok = "succeeded".equals(progress.phase());
            outbox.recordNarrowcastOutcome(m.getHeader(NOTIFICATION_ID, String.class), ok, ok
                    ? "narrowcast succeeded: " + progress.successCount() + " of " + progress.targetCount() + " sent"
                    : "narrowcast failed: errorCode " + progress.errorCode() + (progress.failedDescription() == null ? "" : " (" + progress.failedDescription() + ")"));
        }
    }

    /** Housekeeping: time-based outcomes; the body becomes the ids that became UNDELIVERED (for the fallback route). */
    public List<String> resolveByTime() {
        return outbox.resolveByTime();
    }
}
