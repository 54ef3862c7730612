package io.linehub.intake;

import io.linehub.headers.HubHeaders;
import io.linehub.outbox.EnqueueOutcome;
import io.linehub.outbox.NewNotification;
import io.linehub.outbox.NotificationQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * Notifications a trigger has intake store together instead of in a transaction each (the inbox: a file's rows
 * between two checkpoints). The trigger puts the batch on the exchange as {@link HubHeaders#INTAKE_BATCH}; intake's last step
 * then adds the notification here and answers with its {@link Slot}; {@link #flush} stores everything added since
 * the last flush together ({@link NotificationQueue#enqueueAll}: JDBC batches, few commits) and says what became of each
 * slot. One thread at a time (the inbox's split is sequential).
 */
public final class IntakeBatch {


    /** Where a notification waits in the batch until the next {@link #flush}: its index in the outcomes. */
    public record Slot(int index) {
    }

    private final NotificationQueue outbox;
    private final List<NewNotification> waiting = new ArrayList<>();

    public IntakeBatch(NotificationQueue outbox) {
        this.outbox = outbox;
    }

    Slot add(NewNotification n) {
        waiting.add(n);
        return new Slot(waiting.size() - 1);
    }

    /** How many notifications wait for the next flush. */
    public int size() {
        return waiting.size();
    }

    /**
     * Stores the waiting notifications and empties the batch. Outcome {@code i} is the one of
     * {@code Slot(i)}; the slots handed out so far are used up.
     */
    public List<EnqueueOutcome> flush() {
        List<EnqueueOutcome> outcomes = outbox.enqueueAll(waiting);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).result() != null) {
                NotificationIntake.logQueuedInBatch(outcomes.get(i).result(), waiting.get(i));
            }
        }
        waiting.clear();
        return outcomes;
    }
}
