package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.linehub.json.Json;
import io.linehub.outbox.EnqueueResult;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.NotificationQueue;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the one intake path every trigger feeds ({@code direct:intake}, routes/intake.camel.yaml):
 * the notification the earlier steps parsed ({@link NotificationParser}), found the facts for
 * ({@link RecipientFacts}) and rendered for the operation the channel policy chose ({@link PayloadPlanner})
 * becomes an outbox row, at once or in the trigger's {@link IntakeBatch}.
 */
public class NotificationIntake {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);

    private final NotificationQueue outbox;

    public NotificationIntake(NotificationQueue outbox) {
        this.outbox = outbox;
    }

    /** Step 5: the outbox row; from here on nothing is lost. */
    public EnqueueResult queue(PendingNotification n) {
        NewNotification row = toOutbox(n);
        EnqueueResult result = outbox.enqueue(row);
        logQueued(result, row);
        return result;
    }

    /** Step 5 for a trigger that stores in batches: the notification waits in the trigger's batch until its next flush. */
    public IntakeBatch.Slot queueInBatch(PendingNotification n, @ExchangeProperty(HubHeaders.INTAKE_BATCH) IntakeBatch batch) {
        return batch.add(toOutbox(n));
    }

    static NewNotification toOutbox(PendingNotification n) {
        boolean lon = n.operation.startsWith("pnp-");
        return new NewNotification(n.type, n.lineChannel, n.operation, n.customerId, lon ? n.recipientHash : null, n.recipientMasked,
                n.recipientCountry, n.language, Json.write(n.data), Json.write(n.lineRequest), n.idempotencyKey, n.requestDigest,
                n.operation.equals("push") ? n.userId : null, n.retryKey, n.contentDigest, n.decision,
                n.templateVersion, n.timing, n.via);
    }

    /** The one log line of a newly stored notification (never the recipient): INFO for one sent by itself (the API). */
    static void logQueued(EnqueueResult result, NewNotification n) {
        if (result.created()) {
            LOG.info("notification {} queued: {} via {} ({})", result.id(), n.type(), n.lineOperation(), n.channelDecision());
        }
    }

    /**
     * The same line at DEBUG for one of a batch (an inbox file's row): the trigger logs one line per batch with the
     * counts instead (a million-row file would otherwise write a million INFO lines).
     */
    static void logQueuedInBatch(EnqueueResult result, NewNotification n) {
        if (result.created() && LOG.isDebugEnabled()) {
            LOG.debug("notification {} queued: {} via {} ({})", result.id(), n.type(), n.lineOperation(), n.channelDecision());
        }
    }
}
