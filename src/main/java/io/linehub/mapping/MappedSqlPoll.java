package io.linehub.mapping;

import io.linehub.headers.HubHeaders;
import io.linehub.intake.IntakeRejection;
import io.linehub.json.Json;
import io.linehub.outbox.EnqueueResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of the ERP's own shape as a trigger (route template {@code mapped-sql-poll}, one local bean per instance):
 * the engineer's query selects due rows (with {@code FOR UPDATE SKIP LOCKED} where the database has it), each is
 * mapped and taken in, and the engineer's statements mark it accepted (with the notification id) or rejected (with
 * the field and reason) — all in the claim's one transaction, on its connection, so the rows stay locked until they
 * are marked and another hub polling the table skips them, then finds them marked. A hub that dies mid-batch rolls
 * the batch back: its rows come back at the next poll and find their notifications by idempotency key.
 * <p>
 * Why JDBC here and not camel-sql: camel-sql has no transaction spanning a select and later updates without
 * Spring's transaction manager (decision 0025). Statements name values as camel-sql does, {@code :#name}: the row's
 * columns (any case), {@code notificationId}, {@code notificationStatus}, {@code rejectField}, {@code rejectReason},
 * {@code hubNode}.
 */
public class MappedSqlPoll {

    private static final Logger LOG = LoggerFactory.getLogger(MappedSqlPoll.class);
    private static final Pattern PARAM = Pattern.compile(":#([A-Za-z_][A-Za-z0-9_]*)");

    private DataSource dataSource;
    private String node = "hub";
    private String name = "";
    private String query = "";
    private String acceptedStatement = "";
    private String rejectedStatement = "";
    private String type = "";
    private String typeColumn = "";
    private String mapping = "";
    private String idColumn = "id";
    private String keyPrefix = "";
    private String timeZone = "";

    private FieldMapping fields;
    private Sql select;
    private Sql accepted;
    private Sql rejected;

    /** A statement with {@code :#name} parameters turned into JDBC's {@code ?}, in order. */
    record Sql(String jdbc, List<String> names) {
        static Sql of(String text) {
            List<String> names = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            boolean quoted = false;
            int last = 0;
            Matcher m = PARAM.matcher(text);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'') {
                    quoted = !quoted;
                } else if (!quoted && c == ':' && m.find(i) && m.start() == i) {
                    out.append(text, last, i).append('?');
                    names.add(m.group(1).toLowerCase(Locale.ROOT));
                    last = m.end();
                    i = m.end() - 1;
                }
            }
            out.append(text.substring(last));
            return new Sql(out.toString(), names);
        }

        PreparedStatement prepare(Connection c, Map<String, Object> values) throws SQLException {
            PreparedStatement ps = c.prepareStatement(jdbc);
            for (int i = 0; i < names.size(); i++) {
                if (!values.containsKey(names.get(i))) {
                    ps.close();
                    throw new SQLException("the statement names :#" + names.get(i) + ", which is neither a column of the row nor one of"
                            + " notificationId, notificationStatus, rejectField, rejectReason, hubNode");
                }
                ps.setObject(i + 1, values.get(names.get(i)));
            }
            return ps;
        }
    }

    /** One poll's batch: its connection and transaction, held until {@link #commit}. */
    static final class Batch {
        final Connection connection;
        int accepted;
        int rejected;

        Batch(Connection connection) {
            this.connection = connection;
        }
    }

    /** Checks every parameter and parses the mapping and statements (the bean's init method). */
    public void check() {
        if (dataSource == null) {
            throw new IllegalArgumentException("sql poll " + name + ": no dataSource");
        }
        if (query.isBlank() || acceptedStatement.isBlank() || rejectedStatement.isBlank()) {
            throw new IllegalArgumentException("sql poll " + name + ": give query, acceptedStatement and rejectedStatement");
        }
        if (type.isBlank() == typeColumn.isBlank()) {
            throw new IllegalArgumentException("sql poll " + name + ": give type or typeColumn, exactly one of them");
        }
        ZoneId zone = null;
        if (!timeZone.isBlank()) {
            try {
                zone = ZoneId.of(timeZone.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("sql poll " + name + ": timeZone '" + timeZone + "' is not a time zone");
            }
        }
        fields = FieldMapping.parse(mapping, typeColumn, zone);
        select = Sql.of(query);
        accepted = Sql.of(acceptedStatement);
        rejected = Sql.of(rejectedStatement);
    }

    /** The poll: due rows selected (and locked) in a transaction that stays open until {@link #commit}. */
    public List<Map<String, Object>> claim(Exchange exchange) throws SQLException {
        Connection c = dataSource.getConnection();
        Batch batch = new Batch(c);
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = select.prepare(c, Map.of("hubnode", node)); ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException | RuntimeException e) {
            close(batch, false);
            throw e;
        }
        exchange.setProperty(HubHeaders.SQL_POLL_BATCH, batch);
        // whatever ends the exchange with a failure rolls the batch back: its rows come back at the next poll
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                close(batch, false);
            }
        });
        return rows;
    }

    /** One row as the API's JSON for {@code direct:intake}, with its idempotency key (mapped, else keyPrefix + id). */
    public void request(Exchange exchange) {
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = m.getBody(Map.class);
        exchange.setProperty(HubHeaders.SQL_POLL_ROW, row);
        FieldMapping.Mapped mapped = fields.map(type.isBlank() ? null : type.trim(), f -> row.get(f.source().toLowerCase(Locale.ROOT)));
        Object id = row.get(idColumn.toLowerCase(Locale.ROOT));
        String key = mapped.idempotencyKey() != null && !mapped.idempotencyKey().isBlank() ? mapped.idempotencyKey()
                : (keyPrefix.isBlank() ? "sql:" + name + ":" : keyPrefix) + id;
        m.removeHeaders("*");
        m.setHeader("Idempotency-Key", key);
        m.setBody(Json.write(mapped.request()));
    }

    /** Intake stored it: the accepted statement, on the batch's connection. */
    public void accepted(Exchange exchange) throws Exception {
        EnqueueResult r = exchange.getMessage().getMandatoryBody(EnqueueResult.class);
        Map<String, Object> values = values(exchange);
        values.put("notificationid", r.id());
        values.put("notificationstatus", r.status().name());
        run(exchange, accepted, values);
        exchange.getProperty(HubHeaders.SQL_POLL_BATCH, Batch.class).accepted++;
    }

    /** Intake refused it: the rejected statement with the field and reason. A hub-side failure fails the batch (rolled back, polled again). */
    public void rejected(Exchange exchange) throws Exception {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IntakeRejection why = IntakeRejection.of(e);
        if (why.retryable()) {
            throw new IllegalStateException("sql poll " + name + ": a row could not be stored; the batch is rolled back and polled again", e);
        }
        Map<String, Object> values = values(exchange);
        values.put("rejectfield", why.field());
        values.put("rejectreason", why.reason().length() > 2000 ? why.reason().substring(0, 2000) : why.reason());
        run(exchange, rejected, values);
        exchange.getProperty(HubHeaders.SQL_POLL_BATCH, Batch.class).rejected++;
    }

    /** The batch's marks committed together; the rows' locks go with the commit. */
    public void commit(Exchange exchange) throws SQLException {
        Batch batch = exchange.getProperty(HubHeaders.SQL_POLL_BATCH, Batch.class);
        if (batch == null) {
            return;
        }
        try {
            batch.connection.commit();
        } finally {
            close(batch, true);
        }
        if (batch.accepted + batch.rejected > 0) {
            LOG.info("sql poll {}: {} accepted, {} rejected", name, batch.accepted, batch.rejected);
        }
    }

    private Map<String, Object> values(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getProperty(HubHeaders.SQL_POLL_ROW, Map.class);
        Map<String, Object> values = new HashMap<>(row);
        values.put("hubnode", node);
        return values;
    }

    private void run(Exchange exchange, Sql sql, Map<String, Object> values) throws SQLException {
        Batch batch = exchange.getProperty(HubHeaders.SQL_POLL_BATCH, Batch.class);
        try (PreparedStatement ps = sql.prepare(batch.connection, values)) {
            ps.executeUpdate();
        }
    }

    private void close(Batch batch, boolean committed) {
        try {
            if (!batch.connection.isClosed()) {
                if (!committed) {
                    batch.connection.rollback();
                    LOG.warn("sql poll {}: the batch was rolled back; its rows are polled again", name);
                }
                batch.connection.setAutoCommit(true);
                batch.connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("sql poll {}: closing the batch's connection: {}", name, e.toString());
        }
    }

    // ------------------------------------------------------------------ the template's parameters (bean properties)

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public void setAcceptedStatement(String acceptedStatement) {
        this.acceptedStatement = acceptedStatement;
    }

    public void setRejectedStatement(String rejectedStatement) {
        this.rejectedStatement = rejectedStatement;
    }

    public void setType(String type) {
        this.type = type;
    }

    public void setTypeColumn(String typeColumn) {
        this.typeColumn = typeColumn;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setIdColumn(String idColumn) {
        this.idColumn = idColumn;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
