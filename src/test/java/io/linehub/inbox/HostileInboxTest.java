package io.linehub.inbox;

import io.linehub.testsupport.LogCapture;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.testsupport.HostileCases;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile inbox files, one per line of {@code src/test/resources/hostile/inbox/cases.ndjson} (the files themselves
 * under {@code files/} and {@code outside/}; the format is in {@code hostile/README.md}). Each must leave the inbox
 * promptly for {@code .done/} or {@code .failed/} with a report saying why, store exactly its good rows, echo no
 * value, neutralise formula cells, log no ERROR and no stack trace, and leave the inbox taking a good file.
 */
class HostileInboxTest {

    private static final long STABLE_MS = 500;
    @TempDir
    static Path dataDir;
    static TestHub hub;
    static Inbox inbox;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", String.valueOf(STABLE_MS),
                "hub.inbox.checkpoint-rows", "2"));
        inbox = new Inbox(dataDir);
        Files.createDirectories(inbox.dir());
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static List<JsonNode> cases() throws Exception {
        return HostileCases.read("/hostile/inbox/cases.ndjson");
    }

    private static byte[] resource(String path) throws Exception {
        try (InputStream in = HostileInboxTest.class.getResourceAsStream("/hostile/inbox/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{index} {0}")
    @MethodSource("cases")
    void leavesTheInboxWithItsOutcomeStoringOnlyGoodRows(JsonNode c) throws Exception {
        String caseName = c.path("name").asText();
        long notifications = hub.count("SELECT COUNT(*) FROM notification");
        List<String> names = new ArrayList<>();
        List<String> errors;
        String logged;
        long took;
        try (LogCapture log = new LogCapture()) {
            long t0 = System.nanoTime();
            int copies = c.path("copies").asInt(1);
            for (int i = 0; i < copies; i++) {
                String name = c.has("dropAs") ? c.path("dropAs").asText() : (copies > 1 ? i + "-" : "") + c.path("file").asText();
                names.add(name);
                drop(c, name);
            }
            for (String name : names) {
                await().atMost(Duration.ofSeconds(c.has("slowMs") ? 40 : 15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !Files.exists(inbox.dir().resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                                && Files.exists(report(name)));
            }
            took = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(100);
            errors = log.errorsOrStackTraces();
            logged = log.all();
        }
        if (!c.has("slowMs")) {
            assertThat(took).as("left the inbox promptly (ms), all copies").isLessThan(10_000L);
        }
        for (String name : names) {
            String archived = InboxFileNames.fit(name, InboxFileNames.MAX_NAME_BYTES - 16);
            if (c.has("outcome")) {
                String where = c.path("outcome").asText().equals("done") ? ".done" : ".failed";
                assertThat(inbox.dir().resolve(where).toFile().list()).as("moved to %s", where).anyMatch(n -> n.endsWith("-" + archived));
            }
            String reportText = Files.readString(report(name), StandardCharsets.UTF_8);
            List<String[]> report = Inbox.readReport(report(name));
            List<String[]> rows = report.stream().filter(r -> !"file".equals(r.length > 3 ? r[3] : "")).collect(Collectors.toList());
            long accepted = rows.stream().filter(r -> r[1].equals("accepted") || r[1].equals("duplicate")).count();
            long rejected = rows.stream().filter(r -> r[1].equals("rejected")).count();
            if (c.has("accepted")) {
                assertThat(accepted).as("accepted rows; report %s", reportText).isEqualTo(c.path("accepted").asLong());
            }
            if (c.has("rejected")) {
                assertThat(rejected).as("rejected rows; report %s", reportText).isEqualTo(c.path("rejected").asLong());
            }
            assertThat(accepted).as("accepted rows; report %s", reportText).isGreaterThanOrEqualTo(c.path("minAccepted").asLong(0));
            assertThat(rejected).as("rejected rows; report %s", reportText).isGreaterThanOrEqualTo(c.path("minRejected").asLong(0));
            c.path("rejectedRows").fields().forEachRemaining(e -> assertThat(report).as(reportText)
                    .anyMatch(r -> r[0].equals(e.getKey()) && r[1].equals("rejected") && r[3].equals(e.getValue().asText()) && !r[4].isBlank()));
            if (c.has("reason")) {
                assertThat(report).as("a line naming the file's problem; report %s", reportText)
                        .anyMatch(r -> r.length > 4 && r[3].equals("file") && r[4].contains(c.path("reason").asText()));
            }
            for (String[] r : report) {
                for (String cell : r) {
                    assertThat(cell).as("report cell of %s", caseName).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
                            .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                }
            }
            for (JsonNode secret : c.path("mustNotContain")) {
                assertThat(reportText).as("report echoes a value").doesNotContain(secret.asText());
                assertThat(logged).as("log echoes a value").doesNotContain(secret.asText());
            }
            if (c.path("uniqueRows").asBoolean()) {
                Files.deleteIfExists(report(name)); // the same rows come again under another name in the next case
            }
        }
        assertThat(errors).as("ERROR or stack trace logged").isEmpty();
        long expectedNew = c.has("accepted") ? c.path("accepted").asLong() * names.size() : -1;
        long stored = hub.count("SELECT COUNT(*) FROM notification") - notifications;
        if (expectedNew >= 0 && !c.path("uniqueRows").asBoolean()) {
            assertThat(stored).as("stored exactly the good rows").isEqualTo(expectedNew);
        } else {
            assertThat(stored).as("stored at most the good rows").isLessThanOrEqualTo(Math.max(expectedNew, 10));
        }

        // and the inbox still takes a good file promptly
        String good = "good-" + UUID.randomUUID() + ".csv";
        inbox.drop(good, ("customer_id,type,orderNumber,shippedDate\r\nC-1001,shipping_complete," + good + ",2026-11-27\r\n").getBytes(StandardCharsets.UTF_8));
        List<String[]> goodReport = inbox.awaitReport(good, Duration.ofSeconds(10));
        assertThat(goodReport).extracting(r -> r[1]).containsExactly("accepted");
    }

    private static Path report(String name) {
        return dataDir.resolve("reports").resolve(InboxFileNames.fit(name, InboxFileNames.MAX_REPORT_BASE_BYTES) + ".result.csv");
    }

    /** Drops the case's file as its writer would: atomically, slowly (line by line), or as a symbolic link. */
    private static void drop(JsonNode c, String name) throws Exception {
        Path target = inbox.dir().resolve(name);
        if (c.has("symlinkTo")) {
            Path outside = dataDir.resolve("outside-" + UUID.randomUUID() + "-" + Path.of(c.path("symlinkTo").asText()).getFileName());
            Files.write(outside, resource(c.path("symlinkTo").asText()));
            Files.createSymbolicLink(target, c.path("relative").asBoolean() ? inbox.dir().relativize(outside) : outside);
            return;
        }
        byte[] content = resource("files/" + c.path("file").asText());
        if (c.has("slowMs")) {
            // the header first, then a line at a time with pauses longer than hub.inbox.stable-ms
            String text = new String(content, StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(target)) {
                int from = 0;
                while (from < text.length()) {
                    int nl = text.indexOf('\n', from);
                    int to = nl < 0 ? text.length() : nl + 1;
                    out.write(text.substring(from, to).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    from = to;
                    if (from < text.length()) {
                        Thread.sleep(c.path("slowMs").asLong());
                    }
                }
            }
            return;
        }
        Path tmp = dataDir.resolve("drop-" + UUID.randomUUID() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
