-- LINE webhook events already handled, by webhookEventId (issue 19). A delivery webhook's events are de-duplicated
-- together, in the same transaction that marks their notifications DELIVERED (INSERT … ON CONFLICT DO NOTHING,
-- returning the ids that were new); the other events one by one through the route's idempotentConsumer. Event ids
-- are ULIDs (time-ordered), so new rows go to the end of the primary key's index (and old ones can be pruned by a
-- range of it, no second index needed).
CREATE TABLE line_webhook_event (
    event_id  VARCHAR(100) NOT NULL PRIMARY KEY,
    seen_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- the ids Camel's JDBC repository kept until now, so that a redelivery across the upgrade is still recognised
INSERT INTO line_webhook_event (event_id, seen_at)
    SELECT messageId, createdAt FROM camel_messageprocessed WHERE processorName = 'line-webhook';
DELETE FROM camel_messageprocessed WHERE processorName = 'line-webhook';
