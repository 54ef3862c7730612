package io.linehub.erp;

import io.linehub.headers.HubHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.intake.RequestRejectedException;
import io.linehub.intake.IntakeRejection;
import io.linehub.json.Json;
import io.linehub.outbox.EnqueueResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ERP request table in the company database (routes/erp-requests.camel.yaml): claims NEW rows with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} so two hubs polling one table never take the same row, turns each
 * into the API's JSON for {@code direct:intake}, and gives the route what it writes back (the notification id,
 * or the field and reason of a rejection). A claim older than the claim timeout (a hub died holding it) is
 * returned to NEW; its idempotency key ({@code erp:<table>:<id>} unless the row has one) keeps it from being sent twice.
 */
public class ErpRequests {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Logger LOG = LoggerFactory.getLogger(ErpRequests.class);

    private final DataSource db;
    private final String table;
    private final String owner;
    private final Duration claimTimeout;
    private final Clock clock;

    public ErpRequests(DataSource db, String table, String owner, Duration claimTimeout, Clock clock) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("HUB_ERP_TABLE must be a table name, was '" + table + "'");
        }
        this.db = db;
        this.table = table;
        this.owner = owner;
        this.claimTimeout = claimTimeout;
        this.clock = clock;
    }

    /** Claims up to {@code max} NEW rows for this hub (status CLAIMED) and returns them, oldest first. */
    public List<Map<String, Object>> claim(int max) throws SQLException {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = 'NEW', claimed_by = NULL"
                        + " WHERE status = 'CLAIMED' AND claimed_at < ?")) {
                    ps.setObject(1, now.minus(claimTimeout));
                    int back = ps.executeUpdate();
                    if (back > 0) {
                        LOG.warn("{} ERP request(s) claimed more than {} ago went back to NEW", back, claimTimeout);
                    }
                }
                c.commit();
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " WHERE status = 'NEW' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setInt(1, max);
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                            }
                            rows.add(row);
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = 'CLAIMED', claimed_by = ?, claimed_at = ?,"
                        + " claim_count = claim_count + 1 WHERE id = ?")) {
                    for (Map<String, Object> row : rows) {
                        ps.setString(1, owner);
                        ps.setObject(2, now);
                        ps.setLong(3, ((Number) row.get("id")).longValue());
                        ps.addBatch();
                    }
                    if (!rows.isEmpty()) {
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return rows;
    }

    /** One claimed row: the notification JSON as the body, its idempotency key, and the row id (property and header). */
    public void request(Exchange exchange) {
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = m.getBody(Map.class);
        long id = ((Number) row.get("id")).longValue();
        exchange.setProperty(HubHeaders.ERP_ID, id);
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("type", (String) row.get("notification_type"));
        ObjectNode to = req.putObject("to");
        if (row.get("customer_id") != null) {
            to.put("customerId", (String) row.get("customer_id"));
        }
        if (row.get("phone") != null) {
            to.put("phone", (String) row.get("phone"));
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(String.valueOf(row.get("data")));
        } catch (Exception e) {
            throw new RequestRejectedException("data", "is not valid JSON");
        }
        req.set("data", data);
        if (row.get("language") != null) {
            req.put("language", (String) row.get("language"));
        }
        // optional columns: the LINE channel (null: the routing rule picks one) and the delivery kind (null: auto)
        putText(req, "channel", row.get("channel"));
        putText(req, "via", row.get("via"));
        // optional columns (a company table may not have them): when to send and until when
        putInstant(req, "sendAt", row.get("send_at"));
        putInstant(req, "expiresAt", row.get("expires_at"));
        String key = (String) row.get("idempotency_key");
        m.setBody(Json.write(req));
        m.setHeader("Idempotency-Key", key != null && !key.isBlank() ? key : "erp:" + table + ":" + id);
    }

    private static void putText(ObjectNode req, String field, Object value) {
        if (value != null && !value.toString().isBlank()) {
            req.put(field, value.toString().trim());
        }
    }

    /** A timestamp column as the API's ISO-8601 form (text columns are passed on for intake to check). */
    private static void putInstant(ObjectNode req, String field, Object value) {
        if (value == null) {
            return;
        }
        String text;
        if (value instanceof java.time.OffsetDateTime t) {
            text = t.toInstant().toString();
        } else if (value instanceof java.sql.Timestamp t) {
            text = t.toInstant().toString();
        } else if (value instanceof java.time.Instant t) {
            text = t.toString();
        } else if (value instanceof java.time.ZonedDateTime t) {
            text = t.toInstant().toString();
        } else {
            text = value.toString();
        }
        req.put(field, text);
    }

    /** Intake stored it: headers for the write-back (status ACCEPTED, notification id). */
    public void accepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        EnqueueResult r = exchange.getMessage().getMandatoryBody(EnqueueResult.class);
        exchange.getMessage().setHeader(HubHeaders.ERP_ID, exchange.getProperty(HubHeaders.ERP_ID));
        exchange.getMessage().setHeader(HubHeaders.NOTIFICATION_ID, r.id());
    }

    /** Intake refused it: headers for the write-back (status REJECTED, field, reason). A hub-side failure leaves the row claimed, to come back. */
    public void rejected(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IntakeRejection why = IntakeRejection.of(e);
        if (why.retryable()) {
            throw new IllegalStateException("ERP request " + exchange.getProperty(HubHeaders.ERP_ID) + " could not be stored; it is retried after the claim timeout", e);
        }
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(HubHeaders.ERP_ID, exchange.getProperty(HubHeaders.ERP_ID));
        m.setHeader(HubHeaders.REJECT_FIELD, why.field());
        m.setHeader(HubHeaders.REJECT_REASON, why.reason().length() > 2000 ? why.reason().substring(0, 2000) : why.reason());
    }
}
