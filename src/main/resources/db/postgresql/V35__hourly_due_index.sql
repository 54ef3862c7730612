-- The hourly operations' claim (Claims.claimHourly) asks once a second which channels have broadcasts or narrowcasts
-- due. Without an index of its own that question read every due row of the queue (LONs and pushes included): 36 ms a
-- second with 180,000 queued, growing with the queue. Partial: only due broadcasts and narrowcasts are in it, so no
-- other row's insert or update ever touches it (H2 has no partial indexes and keeps the scan).
CREATE INDEX notification_hourly_due ON notification (line_operation, channel, next_attempt_at)
    WHERE line_operation IN ('broadcast', 'narrowcast') AND status IN ('QUEUED', 'RETRY_WAIT', 'SCHEDULED');
