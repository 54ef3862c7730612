package io.linehub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.inbox.Inbox;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route template mapped-file-inbox (routes/mapped-file-inbox.camel.yaml) in a real hub on H2, one instance per
 * legacy export as an engineer would write them (test files in src/test/resources/mapped/): each row's outcome in
 * the report, the file in .done/ or .failed/.
 */
class MappedFileInboxRouteTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    static final String INSTANCES = """
            - templatedRoute:
                routeTemplateRef: mapped-file-inbox
                routeId: legacy-orders-jp
                parameters:
                  - {name: directory, value: "%1$s/jp"}
                  - {name: charset, value: windows-31j}
                  - {name: skipRows, value: "2"}
                  - {name: type, value: shipping_complete}
                  - name: mapping
                    value: "orderNumber=受注番号, phone=顧客電話, shippedDate=出荷日|yyyy/MM/dd, itemName=品名, carrier=配送業者, language='ja'"
            - templatedRoute:
                routeTemplateRef: mapped-file-inbox
                routeId: legacy-billing-th
                parameters:
                  - {name: directory, value: "%1$s/th"}
                  - {name: charset, value: x-windows-874}
                  - {name: delimiter, value: tab}
                  - {name: skipRows, value: "2"}
                  - {name: typeColumn, value: ประเภท}
                  - name: mapping
                    value: "invoiceNumber=เลขที่ใบแจ้งหนี้, customerId=รหัสลูกค้า, amount=ยอดเงิน|#,##0.00, amount.currency='THB', dueDate=วันครบกำหนด|dd/MM/yyyy|buddhist, serviceName=บริการ, via='flex'"
            - templatedRoute:
                routeTemplateRef: mapped-file-inbox
                routeId: legacy-shipments-fixed
                parameters:
                  - {name: directory, value: "%1$s/fixed"}
                  - {name: charset, value: Shift_JIS}
                  - {name: headerless, value: "true"}
                  - {name: widths, value: "10,18,8,20,12"}
                  - {name: type, value: shipping_complete}
                  - {name: mapping, value: "orderNumber=1, phone=2, shippedDate=3|yyyyMMdd, itemName=4, carrier=5"}
            - templatedRoute:
                routeTemplateRef: mapped-file-inbox
                routeId: legacy-headerless
                parameters:
                  - {name: directory, value: "%1$s/headerless"}
                  - {name: headerless, value: "true"}
                  - {name: type, value: shipping_complete}
                  - {name: mapping, value: "customerId=1, orderNumber=2, shippedDate=3|yyyyMMdd, carrier=4, idempotencyKey=2"}
            - templatedRoute:
                routeTemplateRef: mapped-file-inbox
                routeId: legacy-excel-unicode
                parameters:
                  - {name: directory, value: "%1$s/utf16"}
                  - {name: charset, value: UTF-16}
                  - {name: delimiter, value: tab}
                  - {name: type, value: shipping_complete}
                  - {name: mapping, value: "orderNumber=orderNo, customerId=customer, shippedDate=shipped|yyyy/MM/dd, itemName=item, via='auto'"}
            """;

    @BeforeAll
    static void start() throws Exception {
        Path routes = Files.createDirectories(dataDir.resolve("routes"));
        Files.writeString(routes.resolve("legacy.camel.yaml"), INSTANCES.formatted(dataDir.resolve("legacy").toString().replace('\\', '/')));
        hub = TestHub.start(dataDir, Map.of("hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "300", "hub.inbox.checkpoint-rows", "2", "line.channel.flexible-approved", "true",
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + routes + "/*.camel.yaml"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    private static Path drop(String folder, String resource) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("legacy").resolve(folder));
        Path tmp = dataDir.resolve(resource + ".tmp");
        try (InputStream in = MappedFileInboxRouteTest.class.getResourceAsStream("/mapped/" + resource)) {
            Files.write(tmp, in.readAllBytes());
        }
        Files.move(tmp, dir.resolve(resource), StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    private static Map<String, String[]> awaitReport(Path dir, String name) throws IOException {
        Path report = dataDir.resolve("reports").resolve(name + ".result.csv");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Files.exists(dir.resolve(name)) && Files.exists(report));
        List<String[]> rows = Inbox.readReport(report);
        return rows.stream().collect(Collectors.toMap(r -> r[0], r -> r));
    }

    private static String dump(Map<String, String[]> report) {
        return report.values().stream().map(Arrays::toString).collect(Collectors.joining("\n"));
    }

    private static JsonNode data(String id) throws Exception {
        return io.linehub.json.Json.read(column(id, "data"));
    }

    private static String column(String id, String column) throws Exception {
        try (var c = hub.db().getConnection(); var ps = c.prepareStatement("SELECT " + column + " FROM notification WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void shiftJisExportWithJapaneseHeadersTitleLinesAWrongDateAndAnInvalidByteIsReportedRowByRow() throws Exception {
        Path dir = drop("jp", "orders-sjis.csv");
        Map<String, String[]> r = awaitReport(dir, "orders-sjis.csv");

        assertThat(r.keySet()).as(dump(r)).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(r.get("1")[1]).as(dump(r)).isEqualTo("accepted");
        JsonNode first = data(r.get("1")[2]);
        assertThat(first.path("orderNumber").asText()).isEqualTo("JP-1001");
        assertThat(first.path("shippedDate").asText()).isEqualTo("2026-11-27");
        assertThat(first.path("itemName").asText()).isEqualTo("ノンフライヤー 4.5L");
        assertThat(first.path("carrier").asText()).isEqualTo("ヤマト運輸");
        assertThat(first.has("備考")).as("unmapped columns are ignored").isFalse();
        assertThat(column(r.get("1")[2], "language")).isEqualTo("ja");
        // 2026-11-27 is not yyyy/MM/dd: the row is refused naming the column; the value is not repeated
        assertThat(r.get("2")[1]).isEqualTo("rejected");
        assertThat(r.get("2")[3]).isEqualTo("出荷日");
        assertThat(r.get("2")[4]).contains("yyyy/MM/dd").doesNotContain("2026-11-27");
        // an invalid Shift_JIS byte sequence in 品名
        assertThat(r.get("3")[1]).isEqualTo("rejected");
        assertThat(r.get("3")[3]).isEqualTo("品名");
        assertThat(r.get("3")[4]).contains("not valid windows-31j");
        // 表 and ソ end in the byte 0x5C (a backslash in ASCII), 髙 exists only in CP932
        assertThat(r.get("4")[1]).isEqualTo("accepted");
        assertThat(data(r.get("4")[2]).path("itemName").asText()).isEqualTo("表計算ソフト 髙機能版");
        assertThat(dir.resolve(".done").toFile().list()).anyMatch(n -> n.endsWith("-orders-sjis.csv"));
    }

    @Test
    void aFileWithoutAMappedColumnFailsWithTheColumnNamed() throws Exception {
        Path dir = drop("jp", "orders-sjis-no-date.csv");
        Map<String, String[]> r = awaitReport(dir, "orders-sjis-no-date.csv");

        assertThat(r).hasSize(1);
        assertThat(r.get("0")[1]).isEqualTo("rejected");
        assertThat(r.get("0")[3]).isEqualTo("file");
        assertThat(r.get("0")[4]).contains("'出荷日'").contains("shippedDate").contains("受注番号, 顧客電話, 合計金額, 品名");
        assertThat(dir.resolve(".failed").toFile().list()).anyMatch(n -> n.endsWith("-orders-sjis-no-date.csv"));
    }

    @Test
    void thaiWindows874BillingExportWithBuddhistEraDatesAndGroupedAmounts() throws Exception {
        Path dir = drop("th", "billing-tis620.txt");
        Map<String, String[]> r = awaitReport(dir, "billing-tis620.txt");

        assertThat(r.keySet()).as(dump(r)).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(r.get("1")[1]).as(dump(r)).isEqualTo("accepted");
        JsonNode first = data(r.get("1")[2]);
        assertThat(first.path("dueDate").asText()).as("2569 BE is 2026").isEqualTo("2026-12-15");
        assertThat(first.at("/amount/amount").asText()).isEqualTo("1200.00");
        assertThat(first.at("/amount/currency").asText()).isEqualTo("THB");
        assertThat(first.path("serviceName").asText()).isEqualTo("อินเทอร์เน็ตบ้าน Fiber 500/500");
        assertThat(column(r.get("1")[2], "type")).isEqualTo("payment_reminder");
        assertThat(data(r.get("2")[2]).at("/amount/amount").asText()).isEqualTo("2590.50");
        assertThat(r.get("3")[1]).isEqualTo("rejected");
        assertThat(r.get("3")[3]).isEqualTo("ยอดเงิน");
        assertThat(r.get("3")[4]).contains("#,##0.00");
        // 31 February does not exist: strict dates, not rolled over to March
        assertThat(r.get("4")[1]).isEqualTo("rejected");
        assertThat(r.get("4")[3]).isEqualTo("วันครบกำหนด");
    }

    @Test
    void fixedWidthMainframeFileCountsKanjiAsTwoBytes() throws Exception {
        Path dir = drop("fixed", "shipments-fixed.dat");
        Map<String, String[]> r = awaitReport(dir, "shipments-fixed.dat");

        assertThat(r.keySet()).as(dump(r)).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(r.get("1")[1]).as(dump(r)).isEqualTo("accepted");
        JsonNode first = data(r.get("1")[2]);
        assertThat(first.path("orderNumber").asText()).isEqualTo("JP-3001");
        assertThat(first.path("itemName").asText()).isEqualTo("お歳暮ギフトセット");
        assertThat(first.path("carrier").asText()).isEqualTo("ヤマト運輸");
        assertThat(first.path("shippedDate").asText()).isEqualTo("2026-11-27");
        assertThat(data(r.get("2")[2]).path("itemName").asText()).isEqualTo("新巻鮭");
        assertThat(r.get("3")[1]).isEqualTo("rejected");
        assertThat(r.get("3")[3]).isEqualTo("column 3");
    }

    @Test
    void headerlessFileReadsColumnsByPositionAndNamesThemInTheReport() throws Exception {
        Path dir = drop("headerless", "headerless.csv");
        Map<String, String[]> r = awaitReport(dir, "headerless.csv");

        assertThat(r.get("1")[1]).as(dump(r)).isEqualTo("accepted");
        assertThat(r.get("2")[1]).isEqualTo("accepted");
        assertThat(data(r.get("2")[2]).path("carrier").asText()).isEqualTo("Flash Express");
        assertThat(hub.count("SELECT COUNT(*) FROM notification WHERE idempotency_key = 'TH-4001'")).isEqualTo(1);
        // an empty shipped date: intake refuses data.shippedDate, the report names the file's column
        assertThat(r.get("3")[1]).isEqualTo("rejected");
        assertThat(r.get("3")[3]).isEqualTo("column 3");
    }

    @Test
    void excelUnicodeTextIsUtf16WithAByteOrderMark() throws Exception {
        Path dir = drop("utf16", "orders-utf16.txt");
        Map<String, String[]> r = awaitReport(dir, "orders-utf16.txt");

        assertThat(r.keySet()).as(dump(r)).containsExactlyInAnyOrder("1", "2");
        assertThat(r.get("1")[1]).as(dump(r)).isEqualTo("accepted");
        assertThat(data(r.get("1")[2]).path("itemName").asText()).isEqualTo("咖啡豆, 500g");
        assertThat(data(r.get("2")[2]).path("itemName").asText()).isEqualTo("烏龍茶");
    }
}
