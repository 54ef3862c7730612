package io.linehub.schedule;

import io.linehub.headers.HubHeaders;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.intake.RequestRejectedException;
import io.linehub.intake.IntakeRejection;
import io.linehub.json.Json;
import io.linehub.outbox.EnqueueResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * The steps of a scheduled job (routes/schedules.camel.yaml): which occurrence of the cron this run is, each
 * row of the job's query as the API's JSON with an idempotency key of job + occurrence + customer, and a summary.
 * A job that fires twice for one occurrence (misfire, restart, a second hub) computes the same keys, so no
 * customer is notified twice.
 */
public class ScheduledJobs {

    private static final Duration[] LOOK_BACK = {Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32), Duration.ofDays(400)};
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledJobs.class);

    /** Run context kept on the exchange across the split. */
    static final class Run {
        final String job;
        final Instant occurrence;
        int accepted;
        int duplicates;
        int rejected;

        Run(String job, Instant occurrence) {
            this.job = job;
            this.occurrence = occurrence;
        }
    }

    /**
     * The cron occurrence this firing belongs to: the latest time the cron matches at or before the scheduled fire
     * time (Quartz's scheduledFireTime header; a misfire fired late or a manual trigger maps to the same occurrence).
     */
    public void occurrence(Exchange exchange, String job, String cron, String timeZone, int targetDateOffsetDays) throws ParseException {
        Message m = exchange.getMessage();
        Date fired = m.getHeader("scheduledFireTime", Date.class);
        if (fired == null) {
            fired = m.getHeader("fireTime", Date.class);
        }
        Instant at = fired != null ? fired.toInstant() : Instant.now();
        ZoneId zone = ZoneId.of(timeZone);
        Instant occurrence = occurrenceOf(cron, zone, at);
        m.setHeader(HubHeaders.OCCURRENCE, java.sql.Timestamp.from(occurrence));
        m.setHeader(HubHeaders.TARGET_DATE, java.sql.Date.valueOf(LocalDate.ofInstant(occurrence, zone).plusDays(targetDateOffsetDays)));
        exchange.setProperty(HubHeaders.SCHEDULE_RUN, new Run(job, occurrence));
        LOG.info("schedule {} runs for occurrence {} ({})", job, occurrence, zone);
    }

    static Instant occurrenceOf(String cron, ZoneId zone, Instant at) throws ParseException {
        CronExpression expr = new CronExpression(cron);
        expr.setTimeZone(TimeZone.getTimeZone(zone));
        Date limit = Date.from(at.plusMillis(999));
        for (Duration back : LOOK_BACK) {
            Date t = expr.getNextValidTimeAfter(Date.from(at.minus(back)));
            if (t != null && !t.after(limit)) {
                Date last = t;
                for (Date n = expr.getNextValidTimeAfter(t); n != null && !n.after(limit); n = expr.getNextValidTimeAfter(n)) {
                    last = n;
                }
                return last.toInstant();
            }
        }
        return at; // no earlier occurrence within 400 days: the firing itself
    }

    /**
     * One row of the job's query as a notification. {@code fields} maps data fields to columns:
     * {@code invoiceNumber=invoice_no, amount=amount/currency, dueDate=due_date} (a money field takes amount/currency).
     */
    public void request(Exchange exchange, String type, String fields, String customerColumn, String keyColumn) {
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = m.getBody(Map.class);
        Map<String, Object> row = new LinkedHashMap<>();
        raw.forEach((k, v) -> row.put(k.toLowerCase(Locale.ROOT), v));
        Run run = exchange.getProperty(HubHeaders.SCHEDULE_RUN, Run.class);
        Object customer = row.get(customerColumn.toLowerCase(Locale.ROOT));
        if (customer == null) {
            throw new RequestRejectedException("to.customerId", "the query gave no " + customerColumn);
        }
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("type", type);
        req.putObject("to").put("customerId", customer.toString());
        ObjectNode data = req.putObject("data");
        for (String mapping : fields.split(",")) {
            String[] kv = mapping.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            String field = kv[0].trim();
            String column = kv[1].trim().toLowerCase(Locale.ROOT);
            if (column.contains("/")) {
                String[] money = column.split("/", 2);
                Object amount = row.get(money[0].trim());
                Object currency = row.get(money[1].trim());
                if (amount != null) {
                    ObjectNode mv = data.putObject(field);
                    mv.put("amount", text(amount));
                    mv.put("currency", currency == null ? null : currency.toString());
                }
            } else if (row.get(column) != null) {
                data.put(field, text(row.get(column)));
            }
        }
        String key = "schedule:" + run.job + ":" + run.occurrence + ":" + customer;
        if (keyColumn != null && !keyColumn.isBlank() && row.get(keyColumn.toLowerCase(Locale.ROOT)) != null) {
            key += ":" + row.get(keyColumn.toLowerCase(Locale.ROOT));
        }
        m.setBody(Json.write(req));
        m.setHeader("Idempotency-Key", key);
    }

    public void accepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        EnqueueResult r = exchange.getMessage().getMandatoryBody(EnqueueResult.class);
        Run run = exchange.getProperty(HubHeaders.SCHEDULE_RUN, Run.class);
        if (r.created()) {
            run.accepted++;
        } else {
            run.duplicates++;
        }
    }

    public void rejected(Exchange exchange) {
        IntakeRejection why = IntakeRejection.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        Run run = exchange.getProperty(HubHeaders.SCHEDULE_RUN, Run.class);
        run.rejected++;
        LOG.warn("schedule {} ({}): a row was refused: {} {}", run.job, run.occurrence, why.field(), why.reason());
    }

    public void summary(Exchange exchange) {
        Run run = exchange.getProperty(HubHeaders.SCHEDULE_RUN, Run.class);
        LOG.info("schedule {} for {}: {} queued, {} already queued for this occurrence, {} refused",
                run.job, run.occurrence, run.accepted, run.duplicates, run.rejected);
    }

    private static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof TemporalAccessor) {
            return v.toString();
        }
        return v.toString();
    }
}
