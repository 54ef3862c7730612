-- Claims share their rows among the channels (Claims.claimStatusFairly): one index range per status and channel, read
-- in next_attempt_at order, so a claim for one channel never reads past another channel's backlog (PostgreSQL: the
-- partial index of db/postgresql/V33).
CREATE INDEX notification_due_by_channel ON notification (status, channel, next_attempt_at);
