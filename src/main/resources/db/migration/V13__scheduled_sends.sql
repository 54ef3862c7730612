-- Scheduled sends and quiet hours (issue 15). One history for H2 (PostgreSQL mode) and PostgreSQL.
-- A notification not to be sent before a time is stored SCHEDULED with next_attempt_at = that time, so the claim
-- finds it through the notification_due (status, next_attempt_at) index once it is due; expires_at (V3) then ends
-- its retry window counted from that time, or the request's expiresAt when that is earlier.

-- The sendAt the request asked for (null: as soon as possible).
ALTER TABLE notification ADD COLUMN send_at TIMESTAMP WITH TIME ZONE;
-- When it was held until: sendAt, or the end of the quiet hours it fell in (null: not held). Kept after it is sent.
ALTER TABLE notification ADD COLUMN scheduled_for TIMESTAMP WITH TIME ZONE;
-- The expiresAt the request asked for (null: none; the retry window alone ends it).
ALTER TABLE notification ADD COLUMN requested_expires_at TIMESTAMP WITH TIME ZONE;

-- The example ERP request table: when to send and until when (both optional, as in the API).
ALTER TABLE erp_notification_request ADD COLUMN send_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE erp_notification_request ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
