-- Several LINE channels (issue 14). One history for H2 (PostgreSQL mode) and PostgreSQL.
-- notification.channel has always named the LINE channel (Official Account); the delivery kind the request asked for
-- (auto, template, flex, push, multicast, broadcast, narrowcast) is now the API's "via", kept here for
-- GET /api/notifications/{id} (null on rows from before: they were all "auto" or a kind the line_operation shows).
ALTER TABLE notification ADD COLUMN via VARCHAR(16);

-- The example ERP request table: the LINE channel to send through (null: the routing rule picks one) and the
-- delivery kind (null: auto), as the API's channel and via.
ALTER TABLE erp_notification_request ADD COLUMN channel VARCHAR(64);
ALTER TABLE erp_notification_request ADD COLUMN via VARCHAR(16);
