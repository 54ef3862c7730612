package io.linehub.outbox;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL's bulk path for {@link NotificationQueue#enqueueAll}: new notifications go by {@code COPY} (pgjdbc's
 * {@code CopyManager}, CSV) into a temporary table of the session, then into the outbox with one
 * {@code INSERT … SELECT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id}, and their first history rows with
 * one {@code INSERT … SELECT}. A key another writer stored after the caller planned the batch is skipped, not an
 * error: the caller gets the ids that were inserted and settles the others by their stored row. Nothing is committed
 * here (the temporary table is emptied at commit or rollback).
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
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
    /** Bytes handed to the COPY at a time: the rows are encoded as they go, not all at once. */
    private static final int FLUSH_BYTES = 256 * 1024;

    private OutboxCopy() {
    }

    /** One new notification: its column values (as {@link #COLUMNS}) and its first history row's reason. */
    record Row(Object[] values, String historyReason) {
    }

    /**
     * Stores {@code rows} and their history within the connection's open transaction.
     *
     * @return the ids inserted; a row missing from it was skipped because its idempotency key is stored already
     * @throws SQLException also when a value holds a NUL character (SQL state 22021: PostgreSQL cannot store it), before anything is sent
     */
    static Set<String> insert(Connection c, List<Row> rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + STAGING + " (LIKE notification INCLUDING DEFAULTS,"
                    + " history_reason VARCHAR(2000)) ON COMMIT DELETE ROWS");
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + STAGING + " (" + COLUMNS + ", history_reason) FROM STDIN WITH (FORMAT csv)");
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES + 64 * 1024);
            StringBuilder line = new StringBuilder(2048);
            // the rows of one checkpoint share a few instants: each is formatted once, not once a column and row
            // (formatting was a sixth of the inbox thread's time)
            Times times = new Times();
            for (Row row : rows) {
                line.setLength(0);
                for (int i = 0; i < NAMES.length; i++) {
                    field(line, NAMES[i], row.values()[i], times);
                    line.append(',');
                }
                field(line, "history_reason", row.historyReason(), times);
                line.append('\n');
                buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
                if (buffer.size() >= FLUSH_BYTES) {
                    copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
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

    /** A value as a CSV field: null unquoted and empty (COPY's NULL), anything else quoted, so tabs, newlines and {@code \.} stay data. */
    private static void field(StringBuilder line, String column, Object value, Times times) throws SQLException {
        if (value == null) {
            return;
        }
        if (value instanceof OffsetDateTime t) {
            line.append(times.format(t));
            return;
        }
        String s = value.toString();
        line.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                line.append('"');
            } else if (ch == '\0') {
                throw nul(column);
            }
            line.append(ch);
        }
        line.append('"');
    }

    /**
     * The last few instants formatted, and their text: a checkpoint's rows share a few (its "now", their retry window's
     * end), rows scheduled each for its own time do not. Compared by value (at once when the same instance); no hashing (an
     * {@link OffsetDateTime}'s hash code costs more than the comparisons).
     */
    private static final class Times {
        private final OffsetDateTime[] keys = new OffsetDateTime[4];
        private final String[] texts = new String[4];
        private int next;

        String format(OffsetDateTime t) {
            for (int i = 0; i < keys.length; i++) { // equals answers at once for the same instance
                if (t.equals(keys[i])) {
                    return texts[i];
                }
            }
            String text = TIMESTAMP.format(t);
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
