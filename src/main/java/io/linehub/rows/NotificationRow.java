package io.linehub.rows;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of an inbox file or of an NDJSON batch: the notification in the API's JSON form, or why the row could not even be read
 * as one (then {@code request} is null).
 *
 * @param row             the row number in the report: CSV, the data record after the header (blank records not
 *                        counted); NDJSON, the line number
 * @param request         the notification JSON
 * @param idempotencyKey  the row's own key (column idempotency_key / member idempotencyKey), or null
 */
public record NotificationRow(long row, ObjectNode request, String idempotencyKey, String errorField, String errorReason) {

    static NotificationRow bad(long row, String field, String reason) {
        return new NotificationRow(row, null, null, field, reason);
    }
}
