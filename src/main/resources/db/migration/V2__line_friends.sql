-- Friend status of LINE user IDs per channel, from follow / unfollow webhook events.
-- event_timestamp (LINE's ms timestamp) orders events that arrive out of order.
CREATE TABLE line_friend (
    channel          VARCHAR(64)  NOT NULL,
    user_id          VARCHAR(64)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    event_timestamp  BIGINT       NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (channel, user_id)
);
