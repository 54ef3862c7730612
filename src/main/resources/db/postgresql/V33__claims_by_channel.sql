-- Claims share their rows among the channels (Claims.claimStatusFairly): one index range per status and channel, read
-- in next_attempt_at order, so a claim for one channel never reads past another channel's backlog. Partial: only the
-- rows a claim can take are in it, so the SENDING/SENT/DELIVERED updates that follow never touch it (H2 has no partial
-- indexes: db/h2/V34).
CREATE INDEX notification_due_by_channel ON notification (status, channel, next_attempt_at)
    WHERE status IN ('RETRY_WAIT', 'QUEUED', 'SCHEDULED');
