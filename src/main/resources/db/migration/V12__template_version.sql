-- The version (SHA-256 of the template file) a notification was rendered with (issue 17), shown by GET /api/notifications/{id}.
ALTER TABLE notification ADD COLUMN template_version VARCHAR(64);
