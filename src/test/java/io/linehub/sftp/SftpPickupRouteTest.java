package io.linehub.sftp;

import io.linehub.inbox.Inbox;
import io.linehub.testsupport.LogCapture;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sftp-pickup route template (routes/sftp-pickup.camel.yaml) in a real hub on H2, against a real SFTP server
 * (Apache MINA SSHD) started here: each pickup below is a templatedRoute delivering into the default inbox, which then
 * reads the files as it reads any dropped file. Every row must be taken exactly once, whatever the connection does.
 */
class SftpPickupRouteTest {

    @TempDir
    static Path dir;
    static SftpServer server;
    static TestHub hub;
    static Inbox inbox;

    @BeforeAll
    static void start() throws Exception {
        server = new SftpServer(dir.resolve("server")).start();
        for (String folder : List.of("orders", "keyed", "wrong-key", "with-done-files")) {
            Files.createDirectories(server.root().resolve(folder));
        }
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine());
        Path otherKnownHosts = dir.resolve("known_hosts_other");
        Files.writeString(otherKnownHosts, server.knownHostsLineWithAnotherKey());
        Path key = dir.resolve("id_ecdsa");
        Files.writeString(key, server.clientKeyFile(null));

        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("pickups.camel.yaml"),
                pickup("sftp-orders", "orders", "password", "{{test.sftp.password}}", null)
                        + pickup("sftp-keyed", "keyed", "privateKeyFile", key.toString(), null)
                        + pickup("sftp-wrong-key", "wrong-key", "password", "{{test.sftp.password}}", otherKnownHosts.toString())
                        + pickup("sftp-done-files", "with-done-files", "password", "{{test.sftp.password}}", null)
                        + "      - name: doneFileName\n        value: \"${file:name}.done\"\n");
        Path data = dir.resolve("data");
        hub = TestHub.start(data, Map.of(
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + routes + "/*.camel.yaml",
                "hub.sftp.known-hosts-file", knownHosts.toString(),
                "test.sftp.password", SftpServer.PASSWORD,
                "hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "300", "hub.inbox.checkpoint-rows", "100",
                // what happens after the outbox is not this test's subject
                "hub.delivery.enabled", "false"));
        inbox = new Inbox(data);
    }

    /** One templatedRoute: the given folder of the test server into the default inbox, polled fast. */
    private static String pickup(String id, String folder, String secretName, String secret, String knownHosts) {
        return """
                - templatedRoute:
                    routeTemplateRef: sftp-pickup
                    routeId: %s
                    parameters:
                      - name: name
                        value: %s
                      - name: host
                        value: 127.0.0.1
                      - name: port
                        value: "%d"
                      - name: username
                        value: %s
                      - name: %s
                        value: "%s"
                      - name: directory
                        value: %s
                      - name: pollMs
                        value: "200"
                      - name: stableMs
                        value: "1000"
                %s
                """.formatted(id, id, server.port(), SftpServer.USER, secretName, secret, folder,
                knownHosts == null ? "" : "      - name: knownHostsFile\n        value: \"" + knownHosts + "\"");
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] csv(String prefix, int rows) {
        return csv(prefix, rows, "");
    }

    /** A CSV of the default inbox's form, each order number followed by {@code padding} (to make rows longer). */
    private static byte[] csv(String prefix, int rows, String padding) {
        StringBuilder b = new StringBuilder("customer_id,type,orderNumber,shippedDate\r\n");
        for (int i = 1; i <= rows; i++) {
            b.append("C-100").append(1 + i % 3).append(",shipping_complete,").append(prefix).append('-').append(String.format("%06d", i))
                    .append(padding).append(",2026-11-27\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String PADDING = "-" + "0123456789".repeat(5);

    private static List<String> listing(String folder) throws IOException {
        Path d = server.root().resolve(folder);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> doneOnServer(String folder) throws IOException {
        return listing(folder + "/.done");
    }

    /** Notifications stored for the rows of a file (its rows' keys are file:<content hash>:<row>). */
    private static long notificationsOf(byte[] content) throws Exception {
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        return hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key LIKE 'file:" + hash + ":%'");
    }

    private static List<String> reportsOf(String name) throws IOException {
        try (Stream<Path> s = Files.list(inbox.dataDir().resolve("reports"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name + ".")).toList();
        }
    }

    @Test
    void fileOnTheServerIsPickedUpEveryRowAcceptedAndMovedToDoneOnTheServer() throws Exception {
        byte[] content = csv("SFTP", 5);
        server.put("orders/daily-orders.csv", content);

        List<String[]> report = inbox.awaitReport("daily-orders.csv", Duration.ofSeconds(30));

        assertThat(report).extracting(r -> r[0]).containsExactly("1", "2", "3", "4", "5");
        assertThat(report).extracting(r -> r[1]).containsOnly("accepted");
        assertThat(hub.notification(report.get(0)[2]).path("type").asText()).isEqualTo("shipping_complete");
        await().atMost(Duration.ofSeconds(10)).until(() -> !listing("orders").contains("daily-orders.csv"));
        assertThat(doneOnServer("orders")).anyMatch(n -> n.matches("\\d{8}-\\d{6}-daily-orders\\.csv"));
        assertThat(Files.readAllBytes(server.root().resolve("orders/.done").resolve(
                doneOnServer("orders").stream().filter(n -> n.endsWith("daily-orders.csv")).findFirst().orElseThrow()))).isEqualTo(content);
        assertThat(notificationsOf(content)).isEqualTo(5);
        assertThat(inbox.dir().resolve(".done").toFile().list()).anyMatch(n -> n.endsWith("-daily-orders.csv"));
        assertThat(inbox.dir().resolve(".sftp/sftp-orders").toFile().list()).as("nothing left in the work folder").isEmpty();
    }

    @Test
    void fileStillBeingUploadedIsNotTakenUntilItIsComplete() throws Exception {
        byte[] content = csv("SLOW", 12);
        Path file = server.root().resolve("orders/slow-upload.csv");
        Files.createDirectories(file.getParent());
        int chunk = content.length / 12 + 1;
        try (OutputStream out = Files.newOutputStream(file)) {
            // the uploader writes a piece every 300 ms for about 4 s; stableMs is 1 s
            for (int off = 0; off < content.length; off += chunk) {
                out.write(content, off, Math.min(chunk, content.length - off));
                out.flush();
                Thread.sleep(300);
                assertThat(inbox.dir().resolve("slow-upload.csv")).as("handed over while being uploaded").doesNotExist();
                assertThat(inbox.report("slow-upload.csv")).doesNotExist();
            }
        }
        List<String[]> report = inbox.awaitReport("slow-upload.csv", Duration.ofSeconds(30));

        assertThat(report).hasSize(12).extracting(r -> r[1]).containsOnly("accepted");
        assertThat(notificationsOf(content)).isEqualTo(12);
        await().atMost(Duration.ofSeconds(10)).until(() -> doneOnServer("orders").stream().anyMatch(n -> n.endsWith("-slow-upload.csv")));
    }

    @Test
    void connectionDroppedInTheMiddleOfAFileLeavesNothingHalfTakenAndTheNextPollTakesEveryRowOnce() throws Exception {
        byte[] content = csv("DROP", 500, PADDING); // about 50 KB: more than one read of 32 KB
        assertThat(content.length).isGreaterThan(40 * 1024);
        server.dropConnectionAfterFirstRead = name -> name.equals("dropped.csv") && server.connectionsDropped.get() == 0;
        int downloadsBefore = server.downloadsStarted.get();
        server.put("orders/dropped.csv", content);

        List<String[]> report = inbox.awaitReport("dropped.csv", Duration.ofSeconds(90));

        assertThat(server.connectionsDropped.get()).as("the connection was dropped part-way once").isEqualTo(1);
        assertThat(server.downloadsStarted.get() - downloadsBefore).as("downloaded again after the drop").isGreaterThanOrEqualTo(2);
        assertThat(report).hasSize(500).extracting(r -> r[1]).containsOnly("accepted");
        assertThat(reportsOf("dropped.csv")).as("no half file was ever read by the inbox").containsExactly("dropped.csv.result.csv");
        assertThat(notificationsOf(content)).isEqualTo(500);
        assertThat(hub.count("SELECT COUNT(*) FROM file_intake WHERE file_name = 'dropped.csv'")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> doneOnServer("orders").stream().anyMatch(n -> n.endsWith("-dropped.csv")));
    }

    @Test
    void serverStoppedInTheMiddleOfAFileAndBackLaterGivesEveryRowOnce() throws Exception {
        byte[] content = csv("STOP", 500, PADDING);
        String name = "server-stopped.csv";
        int[] stops = {0};
        server.dropConnectionAfterFirstRead = n -> {
            if (!n.equals(name) || stops[0]++ > 0) {
                return false;
            }
            // the whole server goes away (not only this connection) and comes back 3 s later
            new Thread(() -> {
                try {
                    server.stop();
                    Thread.sleep(3000);
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            return false;
        };
        server.put("orders/" + name, content);

        List<String[]> report = inbox.awaitReport(name, Duration.ofSeconds(90));

        assertThat(stops[0]).isGreaterThanOrEqualTo(1);
        assertThat(report).hasSize(500).extracting(r -> r[1]).containsOnly("accepted");
        assertThat(reportsOf(name)).containsExactly(name + ".result.csv");
        assertThat(notificationsOf(content)).isEqualTo(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> doneOnServer("orders").stream().anyMatch(n -> n.endsWith("-" + name)));
    }

    @Test
    void fileHandedOverButNotMovedOnTheServerIsDownloadedAgainWithoutAnyRowTwice() throws Exception {
        // the state a hub killed between the hand-over and the server-side move leaves: the file is in the inbox
        // (and read) while it is still in the server's folder
        byte[] content = csv("TWICE", 7);
        String name = "not-moved.csv";
        server.refuseRename = n -> n.equals(name) && server.renamesRefused.get() == 0;
        int downloadsBefore = server.downloadsStarted.get();
        server.put("orders/" + name, content);

        await().atMost(Duration.ofSeconds(60)).until(() -> doneOnServer("orders").stream().anyMatch(n -> n.endsWith("-" + name)));
        List<String[]> report = inbox.awaitReport(name, Duration.ofSeconds(30));

        assertThat(server.renamesRefused.get()).isEqualTo(1);
        assertThat(server.downloadsStarted.get() - downloadsBefore).as("the same file downloaded twice").isGreaterThanOrEqualTo(2);
        // the second copy was either dropped (the first still waiting in the inbox) or read again: its rows duplicates
        assertThat(report).hasSize(7).extracting(r -> r[1]).containsAnyOf("accepted", "duplicate").doesNotContain("rejected");
        assertThat(notificationsOf(content)).as("every row once").isEqualTo(7);
        assertThat(listing("orders")).doesNotContain(name);
    }

    @Test
    void withTheDoneFileConventionAFileIsTakenOnlyOnceItsDoneFileIsThere() throws Exception {
        byte[] content = csv("DONEFILE", 4);
        server.put("with-done-files/batch.csv", content);
        Thread.sleep(3000); // stableMs is 1 s: without the done file it would have been taken by now

        assertThat(inbox.dir().resolve("batch.csv")).doesNotExist();
        assertThat(listing("with-done-files")).contains("batch.csv");

        server.put("with-done-files/batch.csv.done", new byte[0]);
        List<String[]> report = inbox.awaitReport("batch.csv", Duration.ofSeconds(30));

        assertThat(report).hasSize(4).extracting(r -> r[1]).containsOnly("accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> !listing("with-done-files").contains("batch.csv"));
        assertThat(listing("with-done-files")).as("the done file is removed with the file").doesNotContain("batch.csv.done");
        assertThat(doneOnServer("with-done-files")).anyMatch(n -> n.endsWith("-batch.csv"));
    }

    @Test
    void fileTheInboxCannotTakeGoesToFailedOnTheServerAfterRetries() throws Exception {
        // the names the file would get in the inbox are taken by folders: the hand-over fails every time
        byte[] content = csv("CLASH", 2);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Files.createDirectories(inbox.dir().resolve("clash.csv"));
        Files.createDirectories(inbox.dir().resolve("clash-" + hash.substring(0, 12) + ".csv"));
        try (LogCapture log = new LogCapture()) {
            server.put("orders/clash.csv", content);

            await().atMost(Duration.ofSeconds(60)).until(() -> listing("orders/.failed").stream().anyMatch(n -> n.endsWith("-clash.csv")));

            assertThat(listing("orders")).doesNotContain("clash.csv");
            assertThat(notificationsOf(content)).isZero();
            assertThat(log.all()).contains("clash.csv could not be handed over to the inbox after 4 attempts")
                    .contains("it goes to the failed folder on the server");
            assertThat(inbox.dir().resolve(".sftp/sftp-orders").toFile().list()).as("the download is not left behind").isEmpty();
        } finally {
            Files.delete(inbox.dir().resolve("clash.csv"));
            Files.delete(inbox.dir().resolve("clash-" + hash.substring(0, 12) + ".csv"));
        }
    }

    @Test
    void keyLoginWorksAndThePasswordNeverAppearsInTheLog() throws Exception {
        try (LogCapture log = new LogCapture()) {
            byte[] content = csv("KEY", 3);
            server.put("keyed/keyed.csv", content);
            List<String[]> report = inbox.awaitReport("keyed.csv", Duration.ofSeconds(30));

            assertThat(report).hasSize(3).extracting(r -> r[1]).containsOnly("accepted");
            await().atMost(Duration.ofSeconds(10)).until(() -> doneOnServer("keyed").stream().anyMatch(n -> n.endsWith("-keyed.csv")));
            assertThat(log.all()).doesNotContain(SftpServer.PASSWORD).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void serverWhoseHostKeyIsNotTheKnownOneIsRefusedWithAClearErrorAndNothingIsTaken() throws Exception {
        server.put("wrong-key/secret-orders.csv", csv("MITM", 2));
        SftpPollFailures failures = hub.bean("sftpPollFailures", SftpPollFailures.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> failures.lastFailure("sftp-wrong-key") != null);
        Thread.sleep(1000); // several more polls

        assertThat(failures.lastFailure("sftp-wrong-key")).startsWith("host key refused")
                .contains("is not the one the known_hosts file").contains("known_hosts_other");
        assertThat(listing("wrong-key")).containsExactly("secret-orders.csv");
        assertThat(inbox.dir().resolve("secret-orders.csv")).doesNotExist();
        assertThat(inbox.report("secret-orders.csv")).doesNotExist();
        assertThat(failures.lastFailure("sftp-orders")).as("the other pickups are not affected").isNull();
    }
}
