-- Delivery engine: every channel, retry keys, multicast packing, channel pauses, retry windows.

-- LINE user ID for push / multicast recipients (no phone number involved).
ALTER TABLE notification ADD COLUMN recipient_user_id VARCHAR(64);
-- X-Line-Retry-Key (push, multicast, broadcast, narrowcast): made at intake, reused on every attempt.
ALTER TABLE notification ADD COLUMN retry_key VARCHAR(36);
-- SHA-256 of the messages: pushes with the same digest, channel and window are packed into one multicast.
ALTER TABLE notification ADD COLUMN content_digest VARCHAR(64);
-- The multicast batch a push was packed into.
ALTER TABLE notification ADD COLUMN batch_id VARCHAR(36);
-- Why this channel (the auto policy's decision, or "requested").
ALTER TABLE notification ADD COLUMN channel_decision VARCHAR(300);
-- LINE's request ID of the accepted request (narrowcast progress is read by it).
ALTER TABLE notification ADD COLUMN line_request_id VARCHAR(64);
-- End of the retry window: a notification still not sent by then is EXPIRED.
ALTER TABLE notification ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX notification_batch ON notification (batch_id);
CREATE INDEX notification_status_updated ON notification (status, updated_at);

-- One multicast request made of packed pushes; its retry key makes re-sending it after a crash safe.
CREATE TABLE multicast_batch (
    id            VARCHAR(36)    PRIMARY KEY,
    channel       VARCHAR(64)    NOT NULL,
    retry_key     VARCHAR(36)    NOT NULL,
    line_request  VARCHAR(65535) NOT NULL,
    recipients    INT            NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A channel that must not send for now (LINE's monthly quota exhausted), with the reason for operators.
CREATE TABLE channel_pause (
    channel       VARCHAR(64)    PRIMARY KEY,
    paused_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    reason        VARCHAR(2000)  NOT NULL,
    paused_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
