/**
 * The durable outbox: the single source of truth of every notification's fate, one class per concept.
 * <ul>
 *   <li>in: {@link io.linehub.outbox.NotificationQueue} (QUEUED, or SCHEDULED until the time its
 *       {@link io.linehub.outbox.SendTiming} gives; idempotent by key), which wakes the dispatcher through the
 *       {@link io.linehub.outbox.DispatchSignal} (other hubs' rows: {@link io.linehub.outbox.OutboxListener});</li>
 *   <li>out, as the delivery routes run it: {@link io.linehub.outbox.Dispatcher} (claims via {@link io.linehub.outbox.Claims},
 *       leases and multicast packing) → {@link io.linehub.outbox.PrepareDelivery} → throttle →
 *       {@link io.linehub.outbox.LeaseStillHeld} → {@code line:} → {@link io.linehub.outbox.RecordOutcome} →
 *       {@link io.linehub.outbox.OutcomeWriter} (group commit) → {@link io.linehub.outbox.OutcomeStore}, which the pure
 *       {@link io.linehub.outbox.RetryPolicy} tells what each answer means;</li>
 *   <li>later: {@link io.linehub.outbox.DeliveryReceipts} (LINE's delivery webhook: a request's events in one transaction, with
 *       {@link io.linehub.outbox.WebhookEventIds}), {@link io.linehub.outbox.NarrowcastProgress},
 *       {@link io.linehub.outbox.TimeBasedOutcomes};</li>
 *   <li>for operators and the API: {@link io.linehub.outbox.DeadLetters}, {@link io.linehub.outbox.ChannelPauses},
 *       {@link io.linehub.outbox.NotificationReadModel}.</li>
 * </ul>
 */
package io.linehub.outbox;
