-- The dashboard's search by customer id (newest first by the time-ordered id).
CREATE INDEX notification_customer ON notification (customer_id, id);
