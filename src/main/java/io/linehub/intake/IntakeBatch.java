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
 * then adds the notification here and answers with its {@link Slot}; {@link #take} takes everything added since
 * the last take and {@link #store} stores it together ({@link NotificationQueue#enqueueAll}: JDBC batches, few commits) and says what became of each
 * slot. One thread adds at a time (the inbox's split is sequential); what it {@linkplain #take took} may be stored on
 * another.
 */
public final class IntakeBatch {


    /** Where a notification waits in the batch until the next {@link #take}: its index in the outcomes. */
    public record Slot(int index) {
    }

    private final NotificationQueue outbox;
    private List<NewNotification> waiting = new ArrayList<>();

    public IntakeBatch(NotificationQueue outbox) {
        this.outbox = outbox;
    }

    Slot add(NewNotification n) {
        waiting.add(n);
        return new Slot(waiting.size() - 1);
    }

    /** How many notifications wait for the next take. */
    public int size() {
        return waiting.size();
    }

    /**
     * The waiting notifications, taken out: the batch is empty again and hands out slots from 0 for the next
     * checkpoint while these are {@linkplain #store stored} (on another thread: the inbox stores a checkpoint while it
     * reads the next one's rows).
     */
    public List<NewNotification> take() {
        List<NewNotification> taken = waiting;
        waiting = new ArrayList<>();
        return taken;
    }

    /** Stores notifications {@linkplain #take taken} from the batch; outcome {@code i} is the one of their {@code Slot(i)}. */
    public List<EnqueueOutcome> store(List<NewNotification> taken) {
        List<EnqueueOutcome> outcomes = outbox.enqueueAll(taken);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).result() != null) {
                NotificationIntake.logQueuedInBatch(outcomes.get(i).result(), taken.get(i));
            }
        }
        return outcomes;
    }
}
