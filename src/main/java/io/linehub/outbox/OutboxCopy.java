package io.linehub.outbox;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL's bulk path for {@link NotificationQueue#enqueueAll}: new notifications go by {@code COPY} (pgjdbc's
 * {@code CopyManager}, CSV) straight into the outbox and their first history rows by a second {@code COPY} when their
 * idempotency keys are new; when one is not (the COPY fails as a whole), into a temporary table of the session, then
 * into the outbox with one {@code INSERT … SELECT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id}, and their
 * first history rows with one {@code INSERT … SELECT} (decisions 0031, 0033). A key another writer stored after the
 * caller planned the batch is skipped, not an error: the caller gets the ids that were inserted and settles the others
 * by their stored row. Nothing is committed here (the temporary table is emptied at commit or rollback).
 */
final class OutboxCopy {

    /** The session's staging table: the outbox's columns (no constraints but NOT NULL) and the first history row's reason. */
    static final String STAGING = "notification_in";
    /** The columns a new notification sets, in the order of {@link NotificationQueue#queuedValues}. */
    static final String COLUMNS = "id, type, channel, line_operation, status, customer_id, recipient_hash, recipient_masked, recipient_country,"
            + " language, data, line_request, delivery_tag, idempotency_key, request_digest, next_attempt_at, created_at, updated_at,"
            + " recipient_user_id, retry_key, content_digest, channel_decision, expires_at, template_version, send_at, scheduled_for,"
            + " requested_expires_at, via";
    private static final String[] NAMES = COLUMNS.replace(" ", "").split(",");
    /** Where {@code created_at} is in {@link #COLUMNS} (the first history row's time). */
    private static final int CREATED_AT = java.util.Arrays.asList(NAMES).indexOf("created_at");
    /** Where {@code status} is in {@link #COLUMNS} (the first history row's status). */
    private static final int STATUS = java.util.Arrays.asList(NAMES).indexOf("status");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
    /** Bytes handed to the COPY at a time: the rows are encoded as they go, not all at once. */
    private static final int FLUSH_BYTES = 256 * 1024;

    private OutboxCopy() {
    }

    /** One new notification: its column values (as {@link #COLUMNS}) and its first history row's reason. */
    record Row(Object[] values, String historyReason) {
    }

    /**
     * What {@link #insert} did: the ids inserted (a row missing from them was skipped because its idempotency key is
     * stored already), and whether the rows went straight into the outbox ({@code direct}) or through the staging table.
     */
    record Copied(Set<String> inserted, boolean direct) {
    }

    /**
     * Stores {@code rows} and their history within the connection's open transaction. With {@code direct}, first by
     * {@code COPY} straight into {@code notification} and {@code notification_status_history} (the fastest path:
     * PostgreSQL writes each row once), within a savepoint; when one of the keys is stored already the COPY fails as a
     * whole (unique violation), is rolled back to the savepoint, and the rows go the staging way, which skips such keys.
     * The caller asks for {@code direct} when its keys are likely new (decision 0033).
     *
     * @throws SQLException also when a value holds a NUL character (SQL state 22021: PostgreSQL cannot store it)
     */
    static Copied insert(Connection c, List<Row> rows, boolean direct) throws SQLException {
        if (direct) {
            Savepoint before = c.setSavepoint();
            try {
                copyStraightIn(c, rows);
                c.releaseSavepoint(before);
                Set<String> ids = new HashSet<>(rows.size() * 2);
                for (Row row : rows) {
                    ids.add((String) row.values()[0]);
                }
                return new Copied(ids, true);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // a key stored before (a file read again after a restart, another writer): the message quotes the
                // key, so it is not kept; the staging path settles which rows are new
                c.rollback(before);
            }
        }
        return new Copied(insertThroughStaging(c, rows), false);
    }

    /** The outbox's unique constraints (idempotency key, id, delivery tag) refused a row. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** The rows by COPY into {@code notification}, then their history rows by COPY. */
    private static void copyStraightIn(Connection c, List<Row> rows) throws SQLException {
        CopyManager copies = c.unwrap(PGConnection.class).getCopyAPI();
        CsvBytes history = new CsvBytes(rows.size() * 200);
        Times times = new Times();
        copyRows(copies.copyIn("COPY notification (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)"), rows, times, (line, row) -> {
            history.field("id", row.values()[0], times);
            history.put(',');
            history.field("status", row.values()[STATUS], times);
            history.put(',');
            history.field("created_at", row.values()[CREATED_AT], times);
            history.put(',');
            history.field("history_reason", row.historyReason(), times);
            history.put('\n');
        });
        CopyIn copy = copies.copyIn("COPY notification_status_history (notification_id, status, changed_at, reason) FROM STDIN WITH (FORMAT csv)");
        try {
            copy.writeToCopy(history.bytes, 0, history.count);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * The staging way: COPY into the session's temporary table, then one {@code INSERT … SELECT … ON CONFLICT
     * (idempotency_key) DO NOTHING RETURNING id} and the history of the rows inserted.
     *
     * @return the ids inserted
     */
    private static Set<String> insertThroughStaging(Connection c, List<Row> rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + STAGING + " (LIKE notification INCLUDING DEFAULTS,"
                    + " history_reason VARCHAR(2000)) ON COMMIT DELETE ROWS");
        }
        Times times = new Times();
        copyRows(c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + STAGING + " (" + COLUMNS + ", history_reason) FROM STDIN WITH (FORMAT csv)"), rows, times, (line, row) -> {
            line.put(',');
            line.field("history_reason", row.historyReason(), times);
        });
        Set<String> inserted = new HashSet<>(rows.size() * 2);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification (" + COLUMNS + ") SELECT " + COLUMNS + " FROM " + STAGING
                + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                inserted.add(rs.getString(1));
            }
        }
        boolean allIn = inserted.size() == rows.size();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_status_history (notification_id, status, changed_at, reason)"
                + " SELECT id, status, created_at, history_reason FROM " + STAGING + (allIn ? "" : " WHERE id = ANY(?)"))) {
            if (!allIn) {
                ps.setArray(1, c.createArrayOf("varchar", inserted.toArray()));
            }
            ps.executeUpdate();
        }
        return inserted;
    }

    /** What a COPY adds to each row's line after the outbox's columns (or does beside it). */
    private interface LineEnd {
        void append(CsvBytes line, Row row) throws SQLException;
    }

    /** Each row's {@link #COLUMNS} as a CSV line (then {@code end}), encoded as they go and sent a buffer at a time. */
    private static void copyRows(CopyIn copy, List<Row> rows, Times times, LineEnd end) throws SQLException {
        try {
            CsvBytes buffer = new CsvBytes(FLUSH_BYTES + 64 * 1024);
            for (Row row : rows) {
                for (int i = 0; i < NAMES.length; i++) {
                    if (i > 0) {
                        buffer.put(',');
                    }
                    buffer.field(NAMES[i], row.values()[i], times);
                }
                end.append(buffer, row);
                buffer.put('\n');
                if (buffer.count >= FLUSH_BYTES) {
                    copy.writeToCopy(buffer.bytes, 0, buffer.count);
                    buffer.count = 0;
                }
            }
            copy.writeToCopy(buffer.bytes, 0, buffer.count);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * A COPY's CSV, built as bytes: each value encoded to UTF-8 on its own (the ASCII columns, most of a row, take the
     * JDK's fast path; only values with other characters its slow one) and quoted by copying the bytes with each
     * {@code "} doubled ({@code "} and NUL never occur inside a multi-byte UTF-8 sequence). Building the line as a
     * string and encoding it whole, character by character, was a fifth of the hub's intake CPU.
     */
    private static final class CsvBytes {
        byte[] bytes;
        int count;

        CsvBytes(int size) {
            bytes = new byte[size];
        }

        void put(char ascii) {
            room(1);
            bytes[count++] = (byte) ascii;
        }

        /** A value as a CSV field: null unquoted and empty (COPY's NULL), anything else quoted, so tabs, newlines and {@code \.} stay data. */
        void field(String column, Object value, Times times) throws SQLException {
            if (value == null) {
                return;
            }
            if (value instanceof OffsetDateTime t) {
                byte[] text = times.format(t);
                room(text.length);
                System.arraycopy(text, 0, bytes, count, text.length);
                count += text.length;
                return;
            }
            byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
            room(2 * b.length + 2);
            byte[] out = bytes;
            int n = count;
            out[n++] = '"';
            for (byte x : b) {
                if (x == '"') {
                    out[n++] = '"';
                } else if (x == 0) {
                    throw nul(column);
                }
                out[n++] = x;
            }
            out[n++] = '"';
            count = n;
        }

        private void room(int more) {
            if (count + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(2 * bytes.length, count + more));
            }
        }
    }

    /**
     * The last few instants formatted, and their text: a checkpoint's rows share a few (its "now", their retry window's
     * end), rows scheduled each for its own time do not. Compared by value (at once when the same instance); no hashing (an
     * {@link OffsetDateTime}'s hash code costs more than the comparisons).
     */
    private static final class Times {
        private final OffsetDateTime[] keys = new OffsetDateTime[4];
        private final byte[][] texts = new byte[4][];
        private int next;

        byte[] format(OffsetDateTime t) {
            for (int i = 0; i < keys.length; i++) { // equals answers at once for the same instance
                if (t.equals(keys[i])) {
                    return texts[i];
                }
            }
            byte[] text = TIMESTAMP.format(t).getBytes(StandardCharsets.US_ASCII);
            keys[next] = t;
            texts[next] = text;
            next = (next + 1) % keys.length;
            return text;
        }
    }

    /** PostgreSQL's text types cannot hold U+0000: refused by name of the column, without the value. */
    static SQLException nul(String column) {
        return new SQLException("the notification's " + column + " contains a NUL character (U+0000), which PostgreSQL cannot store", "22021");
    }

    /** The first column of {@code values} (as {@link #COLUMNS}) holding a NUL character, or null. */
    static String columnWithNul(Collection<?> values) {
        int i = 0;
        for (Object v : values) {
            if (v instanceof String s && s.indexOf('\0') >= 0) {
                return i < NAMES.length ? NAMES[i] : "history reason";
            }
            i++;
        }
        return null;
    }
}
