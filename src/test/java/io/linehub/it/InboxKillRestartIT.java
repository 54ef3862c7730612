package io.linehub.it;

import io.linehub.db.Database;
import io.linehub.inbox.Inbox;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged hub, killed with SIGKILL in the middle of a 100,000-row inbox file and started again: it resumes
 * after its last checkpoint and every good row ends with exactly one notification, every row with exactly one
 * report line. Half the rows carry their own idempotency_key, half rely on the derived one (file hash + row).
 */
class InboxKillRestartIT {

    static final int ROWS = 100_000;
    @TempDir
    Path dir;
    private Process hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null && hub.isAlive()) {
            hub.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(Path data, int port, String logName) throws Exception {
        Path jar = Path.of(System.getProperty("hub.jar", "target/line-notification-hub.jar"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("LINE_"));
        pb.environment().put("HUB_HTTP_PORT", String.valueOf(port));
        pb.environment().put("HUB_SANDBOX_PORT", String.valueOf(TestHub.freePort()));
        pb.environment().put("HUB_DATA_DIR", data.toString());
        pb.environment().put("HUB_DELIVERY_ENABLED", "false");
        pb.environment().put("HUB_DEMO_ENABLED", "false");
        pb.environment().put("HUB_INBOX_POLL_MS", "200");
        pb.environment().put("HUB_INBOX_STABLE_MS", "500");
        pb.environment().put("HUB_INBOX_CHECKPOINT_ROWS", "500");
        pb.environment().put("HUB_INBOX_LOCK_MAX_AGE_MS", "3000");
        return pb.start();
    }

    @Test
    void killedInTheMiddleOfAFileResumesWithoutLosingOrDuplicatingRows() throws Exception {
        Path data = dir.resolve("data");
        Inbox inbox = new Inbox(data);
        Path csv = dir.resolve("big.csv");
        int bad = 0;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("\uFEFFcustomer_id;type;orderNumber;shippedDate;itemName;idempotency_key\r\n");
            for (int i = 1; i <= ROWS; i++) {
                boolean unknown = i % 1000 == 0;
                bad += unknown ? 1 : 0;
                w.write((unknown ? "C-9999" : "C-100" + (1 + i % 3)) + ";shipping_complete;KILL-" + i + ";2026-11-27;\"ชุดกาแฟดริป; " + i + "\";"
                        + (i % 2 == 0 ? "big-" + i : "") + "\r\n");
            }
        }
        int port = TestHub.freePort();
        hub = start(data, port, "hub-1.log");
        Files.createDirectories(inbox.dir());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve("hub-1.log")).contains("Apache Camel 4.18.0 (line-notification-hub) started"));
        Files.move(csv, inbox.dir().resolve("big.csv"));

        Path report = inbox.report("big.csv");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(report) && Files.size(report) > 30L * ROWS / 100 * 20); // roughly a third of the rows reported
        hub.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertThat(hub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        long reportedAtKill = Files.readAllLines(report).size() - 1;
        assertThat(reportedAtKill).isBetween(1L, (long) ROWS - 1);
        assertThat(inbox.dir().resolve("big.csv")).exists();

        hub = start(data, port, "hub-2.log");
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> !Files.exists(inbox.dir().resolve("big.csv")));
        assertThat(Files.readString(dir.resolve("hub-2.log"))).contains("inbox file big.csv resumes after row");
        hub.destroy();
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String[]> lines = Inbox.readReport(report);
        BitSet seen = new BitSet();
        int rejected = 0;
        for (String[] l : lines) {
            int row = Integer.parseInt(l[0]);
            assertThat(seen.get(row)).as("row %d reported twice", row).isFalse();
            seen.set(row);
            if (l[1].equals("rejected")) {
                rejected++;
            }
        }
        assertThat(lines).hasSize(ROWS);
        assertThat(seen.cardinality()).isEqualTo(ROWS);
        assertThat(rejected).isEqualTo(bad);
        try (Connection c = DriverManager.getConnection(Database.embeddedH2Url(data)); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT data) FROM notification")) {
            rs.next();
            assertThat(rs.getLong(1)).as("notifications").isEqualTo(ROWS - bad);
            assertThat(rs.getLong(2)).as("distinct rows among them").isEqualTo(ROWS - bad);
        }
        assertThat(inbox.filesIn(".done")).isEqualTo(1);
    }
}
