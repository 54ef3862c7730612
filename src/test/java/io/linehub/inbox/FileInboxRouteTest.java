package io.linehub.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox route (routes/file-inbox.camel.yaml) in a real hub on H2, with files as legacy systems write them. */
class FileInboxRouteTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;
    static Inbox inbox;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "300", "hub.inbox.checkpoint-rows", "2"));
        inbox = new Inbox(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static Map<String, String[]> byRow(List<String[]> report) {
        return report.stream().collect(Collectors.toMap(r -> r[0], r -> r));
    }

    @Test
    void excelExportWithBomSemicolonsCrlfQuotedNewlinesAndThaiTextIsQueuedRowByRow() throws Exception {
        inbox.dropResource("orders-excel-th.csv", "orders-excel-th.csv");
        List<String[]> report = inbox.awaitReport("orders-excel-th.csv", Duration.ofSeconds(20));

        assertThat(report).extracting(r -> r[0]).containsExactly("1", "2", "3", "4");
        assertThat(report).extracting(r -> r[1]).as(Arrays.deepToString(report.toArray())).containsOnly("accepted");
        JsonNode first = hub.notification(report.get(0)[2]);
        assertThat(first.path("type").asText()).isEqualTo("shipping_complete");
        assertThat(first.at("/recipient/customerId").asText()).isEqualTo("C-1001");
        // the quoted value kept its semicolon, the quoted line break became a space
        String data = dataOf(report.get(0)[2]) + dataOf(report.get(1)[2]);
        assertThat(data).contains("ชุดกาแฟดริป; 2 ชิ้น").contains("กระเป๋าผ้า สีน้ำเงิน");
        assertThat(dataOf(report.get(2)[2])).contains("ドリップコーヒー \\\"限定\\\"").contains("\"amountDue\":{\"amount\":\"1500\",\"currency\":\"JPY\"}");
        assertThat(dataOf(report.get(3)[2])).contains("咖啡豆, 500g");
        assertThat(hub.notification(report.get(3)[2]).at("/recipient/country").asText()).isEqualTo("TW");
        assertThat(inbox.dir().resolve(".done").toFile().list()).anyMatch(n -> n.endsWith("-orders-excel-th.csv"));
    }

    @Test
    void malformedRowsAreReportedWithTheirReasonAndGoodRowsStillGo() throws Exception {
        inbox.dropResource("orders-malformed.csv", "orders-malformed.csv");
        Map<String, String[]> r = byRow(inbox.awaitReport("orders-malformed.csv", Duration.ofSeconds(20)));

        assertThat(r).hasSize(12);
        assertThat(r.get("1")[1]).isEqualTo("accepted");
        assertThat(r.get("10")[1]).isEqualTo("accepted");
        Map<String, String> expectedColumn = Map.of("2", "customer_id", "3", "phone", "4", "orderNumber", "5", "shippedDate", "6", "type",
                "7", "customer_id/phone", "8", "row", "9", "phone", "11", "amountDue", "12", "amountDue_currency");
        expectedColumn.forEach((row, column) -> {
            assertThat(r.get(row)[1]).as("row %s", row).isEqualTo("rejected");
            assertThat(r.get(row)[3]).as("row %s", row).isEqualTo(column);
            assertThat(r.get(row)[4]).as("row %s", row).isNotBlank();
        });
        assertThat(r.get("2")[4]).contains("no customer");
        assertThat(r.get("8")[4]).contains("9 values").contains("8 columns");
        assertThat(r.get("9")[4]).contains("US");
        assertThat(r.get("12")[4]).contains("ISO 4217").doesNotContain("XYZ");
        assertThat(String.join("\n", Files.readAllLines(inbox.report("orders-malformed.csv")))).doesNotContain("212 555").doesNotContain("081-234-5678");
    }

    @Test
    void ndjsonFileTakesTheApiFormWithAnIdempotencyKeyMember() throws Exception {
        inbox.dropResource("orders.ndjson", "orders.ndjson");
        Map<String, String[]> r = byRow(inbox.awaitReport("orders.ndjson", Duration.ofSeconds(20)));

        assertThat(r.keySet()).containsExactlyInAnyOrder("1", "3", "4", "5");
        assertThat(r.get("1")[1]).isEqualTo("accepted");
        assertThat(r.get("3")[1]).isEqualTo("accepted");
        assertThat(r.get("4")[3]).isEqualTo("body");
        assertThat(r.get("5")[3]).isEqualTo("data.shippedDate");
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'nd-1'")).isEqualTo(1);
        assertThat(inbox.dir().resolve(".done").toFile().list()).anyMatch(n -> n.endsWith("-orders.ndjson"));
    }

    @Test
    void ndjsonRowReusingAKeyForAnotherRequestIsRejectedNamingItsIdempotencyKeyMember() throws Exception {
        byte[] ndjson = ("{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},\"data\":{\"orderNumber\":\"NK-1\",\"shippedDate\":\"2026-11-27\"},\"idempotencyKey\":\"nk-1\"}\n"
                + "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},\"data\":{\"orderNumber\":\"NK-2\",\"shippedDate\":\"2026-11-27\"},\"idempotencyKey\":\"nk-1\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        inbox.drop("keys.ndjson", ndjson);
        Map<String, String[]> r = byRow(inbox.awaitReport("keys.ndjson", Duration.ofSeconds(20)));

        assertThat(r.get("1")[1]).isEqualTo("accepted");
        assertThat(r.get("2")[1]).isEqualTo("rejected");
        assertThat(r.get("2")[3]).as("the member the NDJSON line has, not the HTTP header").isEqualTo("idempotencyKey");
        assertThat(r.get("2")[4]).contains("already used for a different request");
    }

    @Test
    void redroppedFileWithSameNameIsProcessedAgainWithoutSendingTheSameRowsTwice() throws Exception {
        byte[] csv = ("customer_id,type,orderNumber,shippedDate,idempotency_key\r\n"
                + "C-1002,shipping_complete,R-1,2026-11-27,redrop-1\r\n"
                + "C-1003,shipping_complete,R-2,2026-11-27,\r\n").getBytes(StandardCharsets.UTF_8);
        inbox.drop("daily.csv", csv);
        List<String[]> first = inbox.awaitReport("daily.csv", Duration.ofSeconds(20));
        assertThat(first).extracting(x -> x[1]).containsExactly("accepted", "accepted");
        long before = hub.count("SELECT COUNT(*) FROM notification");

        inbox.drop("daily.csv", csv);
        List<String[]> second = inbox.awaitReport("daily.csv", Duration.ofSeconds(20));
        Thread.sleep(200);
        assertThat(second).extracting(x -> x[1]).containsExactly("duplicate", "duplicate");
        assertThat(second).extracting(x -> x[2]).containsExactly(first.get(0)[2], first.get(1)[2]);
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(before);
        assertThat(hub.count("SELECT runs FROM file_intake WHERE file_name = 'daily.csv'")).isEqualTo(2);
        assertThat(dataDir.resolve("reports").toFile().list()).filteredOn(n -> n.startsWith("daily.csv.")).hasSize(2); // earlier report kept
    }

    @Test
    void rowsRepeatingAnIdempotencyKeyGetWhatStoringThemOneAfterTheOtherWouldGiveWithinACheckpointAndAcross() throws Exception {
        // checkpoint-rows 2: rows 1-2, 3-4, 5-6 and 7 are each stored in one transaction
        inbox.dropResource("orders-repeated-keys.csv", "orders-repeated-keys.csv");
        Map<String, String[]> r = byRow(inbox.awaitReport("orders-repeated-keys.csv", Duration.ofSeconds(20)));

        assertThat(r).hasSize(7);
        String first = r.get("1")[2];
        String changedFirst = r.get("3")[2];
        assertThat(r.get("1")[1]).isEqualTo("accepted");
        assertThat(r.get("2")[1]).as("same key and row in the same checkpoint").isEqualTo("duplicate");
        assertThat(r.get("2")[2]).isEqualTo(first);
        assertThat(r.get("3")[1]).isEqualTo("accepted");
        for (String row : List.of("4", "7")) { // 4: the same checkpoint as row 3; 7: a later one
            assertThat(r.get(row)[1]).as("row %s: same key, another order", row).isEqualTo("rejected");
            assertThat(r.get(row)[2]).isEmpty();
            assertThat(r.get(row)[3]).isEqualTo("idempotency_key");
            assertThat(r.get(row)[4]).contains("already used for a different request").contains(changedFirst);
        }
        assertThat(r.get("5")[1]).as("same key and row, stored at an earlier checkpoint").isEqualTo("duplicate");
        assertThat(r.get("5")[2]).isEqualTo(first);
        assertThat(r.get("6")[1]).isEqualTo("rejected");
        assertThat(r.get("6")[3]).isEqualTo("customer_id");
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key IN ('rk-same', 'rk-changed')")).isEqualTo(2);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'rk-same' AND id = '" + first + "'")).isEqualTo(1);
    }

    @Test
    void eachCheckpointStoresItsRowsTogetherThenReportsThemThenSavesTheProgress() throws Exception {
        StringBuilder csv = new StringBuilder("customer_id,type,orderNumber,shippedDate\r\n");
        for (int i = 1; i <= 7; i++) {
            csv.append(i == 4 ? "C-9999" : "C-100" + (1 + i % 3)).append(",shipping_complete,CP-").append(i).append(",2026-11-27\r\n");
        }
        inbox.drop("checkpoints.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        List<String[]> report = inbox.awaitReport("checkpoints.csv", Duration.ofSeconds(20));

        assertThat(report).extracting(x -> x[0]).containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(report).extracting(x -> x[1]).containsExactly("accepted", "accepted", "accepted", "rejected", "accepted", "accepted", "accepted");
        // checkpoint-rows 2: rows 1-2, 3-4 (4 refused), 5-6 and 7 (at the end); a transaction's rows share the time they were stored
        List<Object> storedAt = new java.util.ArrayList<>();
        for (String[] line : report) {
            if (line[1].equals("accepted")) {
                storedAt.add(createdAt(line[2]));
            }
        }
        assertThat(storedAt.get(0)).isEqualTo(storedAt.get(1));
        assertThat(storedAt.get(3)).isEqualTo(storedAt.get(4));
        assertThat(new java.util.HashSet<>(storedAt)).hasSize(4);
        assertThat(hub.count("SELECT COUNT(*) FROM file_intake WHERE file_name = 'checkpoints.csv' AND status = 'DONE' AND last_row = 7"
                + " AND accepted = 6 AND rejected = 1 AND report_bytes = " + Files.size(inbox.report("checkpoints.csv")))).isEqualTo(1);
    }

    @Test
    void aCheckpointTheDatabaseRefusesWhileTheNextRowsAreReadFailsTheFileAndDroppingItAgainResumesAfterTheLastStoredOne() throws Exception {
        StringBuilder csv = new StringBuilder("customer_id,type,orderNumber,shippedDate\r\n");
        for (int i = 1; i <= 7; i++) {
            csv.append("C-1001,shipping_complete,SF-").append(i).append(",2026-11-27\r\n");
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        // checkpoint-rows 2: the checkpoint of rows 5-6 is stored on the store thread while row 7 is read; the
        // database refuses row 5's notification (its idempotency key, the file's hash and row number, ends in :5)
        sql("ALTER TABLE notification ADD CONSTRAINT test_refuse_row_5 CHECK (idempotency_key NOT LIKE 'file:%:5')");
        List<String[]> first;
        try {
            inbox.drop("store-fails.csv", file);
            first = inbox.awaitReport("store-fails.csv", Duration.ofSeconds(20));
        } finally {
            sql("ALTER TABLE notification DROP CONSTRAINT test_refuse_row_5");
        }
        assertThat(first).extracting(x -> x[0]).as("the report holds the checkpoints stored before").containsExactly("1", "2", "3", "4");
        assertThat(first).extracting(x -> x[1]).containsOnly("accepted");
        assertThat(hub.count("SELECT COUNT(*) FROM file_intake WHERE file_name = 'store-fails.csv' AND status <> 'DONE' AND last_row = 4")).isEqualTo(1);
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE data LIKE '%SF-%'")).as("rows 1-4; nothing of 5-7").isEqualTo(4);

        inbox.drop("store-fails.csv", file);
        List<String[]> second = inbox.awaitReport("store-fails.csv", Duration.ofSeconds(20));

        assertThat(second).extracting(x -> x[0]).containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(second).extracting(x -> x[1]).containsOnly("accepted");
        assertThat(second.subList(0, 4)).extracting(x -> x[2]).containsExactlyElementsOf(first.stream().map(x -> x[2]).toList());
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE data LIKE '%SF-%'")).as("every row once").isEqualTo(7);
        assertThat(hub.count("SELECT COUNT(*) FROM file_intake WHERE file_name = 'store-fails.csv' AND status = 'DONE' AND last_row = 7"
                + " AND accepted = 7 AND rejected = 0")).isEqualTo(1);
    }

    private static void sql(String statement) throws Exception {
        try (java.sql.Connection c = hub.db().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void fileStillBeingWrittenIsNotReadUntilItStopsChanging() throws Exception {
        Path file = inbox.dir().resolve("slow-export.csv");
        Files.createDirectories(inbox.dir());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("customer_id,type,orderNumber,shippedDate\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 12; i++) {
                out.write(("C-1001,shipping_complete,SLOW-" + i + ",2026-11-27\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(150);
                assertThat(inbox.report("slow-export.csv")).as("read while being written").doesNotExist();
            }
        }
        List<String[]> report = inbox.awaitReport("slow-export.csv", Duration.ofSeconds(20));
        assertThat(report).hasSize(12).extracting(x -> x[1]).containsOnly("accepted");
    }

    @Test
    void fileThatCannotBeReadMovesToFailedWithTheReason() throws Exception {
        inbox.drop("no-type.csv", "customer_id,orderNumber\nC-1001,X-1\n".getBytes(StandardCharsets.UTF_8));
        List<String[]> report = inbox.awaitReport("no-type.csv", Duration.ofSeconds(20));
        assertThat(report).hasSize(1);
        assertThat(report.get(0)[3]).isEqualTo("file");
        assertThat(report.get(0)[4]).contains("'type'");
        assertThat(inbox.dir().resolve(".failed").toFile().list()).anyMatch(n -> n.endsWith("-no-type.csv"));

        inbox.drop("latin1.csv", "customer_id,type,orderNumber,shippedDate\nC-1001,shipping_complete,caf\u00e9,2026-11-27\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        List<String[]> latin = inbox.awaitReport("latin1.csv", Duration.ofSeconds(20));
        assertThat(latin.get(latin.size() - 1)[4]).contains("not UTF-8");
        assertThat(inbox.dir().resolve(".failed").toFile().list()).anyMatch(n -> n.endsWith("-latin1.csv"));
    }

    private static Object createdAt(String id) throws Exception {
        try (var c = hub.db().getConnection(); var ps = c.prepareStatement("SELECT created_at FROM notification WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    private static String dataOf(String id) throws Exception {
        try (var c = hub.db().getConnection(); var ps = c.prepareStatement("SELECT data FROM notification WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
