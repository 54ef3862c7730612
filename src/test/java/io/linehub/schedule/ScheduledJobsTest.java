package io.linehub.schedule;

import io.linehub.testsupport.TestHub;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example schedule (payment reminders, routes/schedules.camel.yaml) in a real hub, fired twice for one occurrence. */
class ScheduledJobsTest {

    static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");
    @TempDir
    static Path dataDir;
    @TempDir
    static Path templates;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        // a copy of the templates in which this LINE Official Account has a (Japanese) key for payment reminders
        try (var files = Files.list(Path.of("config/templates"))) {
            for (Path f : files.toList()) {
                Files.copy(f, templates.resolve(f.getFileName()));
            }
        }
        Path reminder = templates.resolve("payment_reminder.yaml");
        String yaml = Files.readString(reminder);
        int jp = yaml.indexOf("  JP:\n");
        int th = yaml.indexOf("  TH:\n", jp);
        Files.writeString(reminder, yaml.substring(0, jp) + "  JP:\n    templateKey: payment_reminder_ja\n    items:\n      dueDate: date_001_ja\n"
                + "      invoiceNumber: number_001_ja\n      amount: price_001_ja\n    buttons: {}\n" + yaml.substring(th));
        // payment_reminder_ja and date_001_ja are not LINE's documented keys (../shared/line-api/templates.md): they stand for
        // the keys LINE would give this account, so the sandbox, which refuses undocumented keys as LINE does, is told of them
        hub = TestHub.start(dataDir, Map.of("hub.templates.dir", templates.toString(), "hub.schedule.payment-reminder.enabled", "true",
                "hub.sandbox.template-keys", "payment_reminder_ja,date_001_ja"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    @Test
    void occurrenceIsTheLatestCronTimeAtOrBeforeTheFiring() throws Exception {
        String daily9 = "0 0 9 * * ?";
        Instant nine = LocalDate.of(2026, 11, 27).atTime(9, 0).atZone(BANGKOK).toInstant();
        assertThat(ScheduledJobs.occurrenceOf(daily9, BANGKOK, nine)).isEqualTo(nine);
        assertThat(ScheduledJobs.occurrenceOf(daily9, BANGKOK, nine.plusMillis(400))).isEqualTo(nine);
        assertThat(ScheduledJobs.occurrenceOf(daily9, BANGKOK, nine.plus(Duration.ofMinutes(95)))).as("misfire fired late").isEqualTo(nine);
        assertThat(ScheduledJobs.occurrenceOf(daily9, BANGKOK, nine.minusSeconds(60))).isEqualTo(nine.minus(Duration.ofDays(1)));
        assertThat(ScheduledJobs.occurrenceOf("0 */5 * * * ?", BANGKOK, nine.plusSeconds(7 * 60))).isEqualTo(nine.plusSeconds(5 * 60));
    }

    @Test
    void jobFiredTwiceForOneOccurrenceNotifiesEachInvoiceOnce() throws Exception {
        Instant occurrence = ScheduledJobs.occurrenceOf("0 0 9 * * ?", BANGKOK, Instant.now());
        LocalDate due = LocalDate.ofInstant(occurrence, BANGKOK).plusDays(3);
        try (Connection c = hub.db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO invoices (invoice_no, customer_id, amount, currency, due_date, service_name, paid) VALUES (?,?,?,?,?,?,?)")) {
            Object[][] rows = {
                    {"INV-1", "C-2001", "4980.00", "JPY", due, "光回線 月額プラン", false},
                    {"INV-2", "C-2001", "1200.00", "JPY", due, "電話オプション", false},
                    {"INV-3", "C-1001", "599.00", "THB", due, "อินเทอร์เน็ตบ้าน", false},
                    {"INV-4", "C-1002", "899.00", "THB", due.plusDays(1), "not due yet", false},
                    {"INV-5", "C-1003", "899.00", "THB", due, "already paid", true}};
            for (Object[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    ps.setObject(i + 1, r[i] instanceof String s && i == 2 ? new java.math.BigDecimal(s) : r[i]);
                }
                ps.executeUpdate();
            }
        }
        QuartzComponent quartz = hub.context().getComponent("quartz", QuartzComponent.class);
        JobKey job = new JobKey("payment-reminder", "hub-schedules");
        quartz.getScheduler().triggerJob(job);
        await().atMost(Duration.ofSeconds(15)).until(() -> hub.count("SELECT COUNT(*) FROM notification WHERE type = 'payment_reminder'") == 3);
        quartz.getScheduler().triggerJob(job); // a second firing for the same occurrence (restart, misfire, second hub)
        Thread.sleep(3000);

        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE type = 'payment_reminder'")).isEqualTo(3);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'schedule:payment-reminder:" + occurrence + ":C-2001:INV-1'")).isEqualTo(1);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE type = 'payment_reminder' AND data LIKE '%\"amount\":{\"amount\":\"4980.00\",\"currency\":\"JPY\"}%'"))
                .isEqualTo(1);
    }
}
