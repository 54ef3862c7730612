package io.linehub.rows;

import java.io.InputStream;

/**
 * How an inbox reads a file's bytes as notification rows. The default inbox uses {@link NotificationRows#open}
 * (CSV or NDJSON in the hub's own columns); a mapped inbox (route template mapped-file-inbox) puts its own reader on
 * the exchange ({@code HubHeaders.INBOX_ROW_READER}) and the rest of the inbox (progress, checkpoints, report,
 * .done/.failed) stays the same.
 */
public interface RowReader {

    /** The rows of {@code in}, skipping those up to {@code afterRow} (a resumed run); {@link UnreadableRowsException} refuses the file. */
    NotificationRows open(InputStream in, String fileName, long afterRow);
}
