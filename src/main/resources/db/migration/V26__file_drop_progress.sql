-- Progress of file drops (GET /api/files, the dashboard's files page): what the hub learns of a file when it opens
-- it. total_rows = the last row number the file can have (its lines, less the CSV header; a quoted CSV cell with a
-- line break makes it an upper bound); report_name = its report in $HUB_DATA_DIR/reports/.
ALTER TABLE file_intake ADD COLUMN total_rows BIGINT;
ALTER TABLE file_intake ADD COLUMN size_bytes BIGINT;
ALTER TABLE file_intake ADD COLUMN report_name VARCHAR(255);
-- the recent files, newest first
CREATE INDEX file_intake_updated ON file_intake (updated_at);
