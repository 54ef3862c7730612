package io.linehub.outbox;

import io.linehub.outbox.RetryPolicy.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.linehub.outbox.OutboxDatabase.transition;
import static io.linehub.outbox.OutboxDatabase.truncate;

/**
 * Where a claimed notification's fate is written: LINE's answers (many in one transaction, as the
 * {@link OutcomeWriter} groups them, decided by the {@link RetryPolicy}), a hold that is not a failed attempt, and
 * LINE's delivery webhook.
 */
public class OutcomeStore {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeStore.class);

    private final OutboxDatabase db;
    private final RetryPolicy policy;
    private final ChannelPauses pauses;

    public OutcomeStore(DataSource dataSource, Clock clock, RetryPolicy policy, ChannelPauses pauses) {
        this.db = new OutboxDatabase(dataSource, clock);
        this.policy = policy;
        this.pauses = pauses;
    }

    /** LINE accepted the request (also 409 with an accepted request ID: it had been sent before). */
    public void recordSent(OutboxEntry entry, Instant startedAt, int httpStatus, String lineRequestId) {
        recordOutcomes(List.of(Outcome.sent(entry, startedAt, httpStatus, lineRequestId)));
    }

    private static List<String> members(OutboxEntry entry) {
        return entry.isBatch() ? entry.memberIds() : List.of(entry.id());
    }

    /** LINE refused the request, or it got no answer: decide what happens next from LINE's classification. */
    public NotificationStatus recordFailure(OutboxEntry entry, Instant startedAt, Throwable failure) {
        return recordOutcomes(List.of(Outcome.failed(entry, startedAt, failure))).get(0);
    }

    /**
     * Records many answers in one transaction (group commit: three batched statements for all of them), each
     * notification moving on only if it is still SENDING. Returns each outcome's next status, in order.
     */
    public List<NotificationStatus> recordOutcomes(List<Outcome> outcomes) {
        OffsetDateTime now = db.now();
        List<Decision> decisions = outcomes.stream().map(o -> policy.decide(o, now)).toList();
        for (int k = 0; k < outcomes.size(); k++) {
            if (decisions.get(k).pauseReason() != null) {
                pauses.pause(outcomes.get(k).entry().channel(), now.plusHours(1), decisions.get(k).pauseReason());
            }
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_attempt (notification_id, attempt_no, started_at, finished_at,"
                    + " http_status, outcome, line_request_id, error) VALUES (?,?,?,?,?,?,?,?)")) {
                for (int k = 0; k < outcomes.size(); k++) {
                    Outcome o = outcomes.get(k);
                    Decision d = decisions.get(k);
                    for (String id : members(o.entry())) {
                        ps.setString(1, id);
                        ps.setInt(2, o.entry().attempt());
                        ps.setObject(3, OffsetDateTime.ofInstant(o.startedAt(), ZoneOffset.UTC));
                        ps.setObject(4, now);
                        if (d.httpStatus() == null) {
                            ps.setNull(5, java.sql.Types.INTEGER);
                        } else {
                            ps.setInt(5, d.httpStatus());
                        }
                        ps.setString(6, d.next().name());
                        ps.setString(7, d.lineRequestId());
                        ps.setString(8, truncate(d.reason(), 2000));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            List<String> changed = new ArrayList<>();
            List<Decision> changedDecisions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET status = ?, last_error = ?, updated_at = ?,"
                    + " lease_owner = NULL, lease_until = NULL, next_attempt_at = COALESCE(?, next_attempt_at), sent_at = COALESCE(?, sent_at),"
                    + " line_request_id = COALESCE(?, line_request_id) WHERE id = ? AND status = 'SENDING'")) {
                List<String> ids = new ArrayList<>();
                List<Decision> idDecisions = new ArrayList<>();
                List<Integer> overtaken = new ArrayList<>();
                for (int k = 0; k < outcomes.size(); k++) {
                    Decision d = decisions.get(k);
                    boolean sent = d.next() == NotificationStatus.SENT;
                    for (String id : members(outcomes.get(k).entry())) {
                        ps.setString(1, d.next().name());
                        ps.setString(2, sent ? null : truncate(d.reason(), 2000));
                        ps.setObject(3, now);
                        if (d.retryAt() == null) {
                            ps.setNull(4, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            ps.setObject(4, d.retryAt());
                        }
                        if (sent) {
                            ps.setObject(5, now);
                        } else {
                            ps.setNull(5, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                        }
                        ps.setString(6, sent ? d.lineRequestId() : null);
                        ps.setString(7, id);
                        ps.addBatch();
                        ids.add(id);
                        idDecisions.add(d);
                    }
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) {
                        changed.add(ids.get(i));
                        changedDecisions.add(idDecisions.get(i));
                    } else if (idDecisions.get(i).next() == NotificationStatus.SENT) {
                        overtaken.add(i);
                    } else {
                        LOG.warn("notification {} was no longer SENDING when LINE's answer arrived", ids.get(i));
                    }
                }
                // LINE's delivery webhook can overtake this commit (DELIVERED is accepted from SENDING): the status
                // stays DELIVERED, and the row still gets when it was sent and LINE's request id
                if (!overtaken.isEmpty()) {
                    try (PreparedStatement fill = c.prepareStatement("UPDATE notification SET sent_at = COALESCE(sent_at, ?),"
                            + " line_request_id = COALESCE(line_request_id, ?) WHERE id = ? AND status = 'DELIVERED'")) {
                        for (int i : overtaken) {
                            fill.setObject(1, now);
                            fill.setString(2, idDecisions.get(i).lineRequestId());
                            fill.setString(3, ids.get(i));
                            fill.addBatch();
                        }
                        fill.executeBatch();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_status_history (notification_id, status, changed_at, reason) VALUES (?,?,?,?)")) {
                for (int i = 0; i < changed.size(); i++) {
                    ps.setString(1, changed.get(i));
                    ps.setString(2, changedDecisions.get(i).next().name());
                    ps.setObject(3, now);
                    ps.setString(4, truncate(changedDecisions.get(i).historyReason(), 2000));
                    ps.addBatch();
                }
                if (!changed.isEmpty()) {
                    ps.executeBatch();
                }
            }
        });
        return decisions.stream().map(Decision::next).toList();
    }

    /** Not sent now, for a reason that is not a failed attempt (e.g. the monthly quota would not fit): wait and try later. */
    public void hold(OutboxEntry entry, Duration wait, String reason) {
        OffsetDateTime now = db.now();
        db.inTransaction(c -> {
            for (String id : members(entry)) {
                if (transition(c, id, NotificationStatus.RETRY_WAIT, reason, now, now.plus(wait)) == 1) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET attempts = attempts - 1 WHERE id = ? AND attempts > 0")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
            }
        });
        LOG.warn("{} {} {}", entry.isBatch() ? "batch" : "notification", entry.id(), reason);
    }
}
