package io.linehub.sftp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-over of a downloaded file into an inbox folder: whole, never over another file, once per content. */
class SftpFilesTest {

    @TempDir
    Path dir;

    private final SftpFiles files = new SftpFiles();

    private Path downloaded(String content) throws Exception {
        Path work = dir.resolve("inbox/.sftp/test");
        Files.createDirectories(work);
        Path f = work.resolve("orders.csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void downloadedFileIsMovedIntoTheInboxUnderItsRemoteName() throws Exception {
        Path inbox = dir.resolve("inbox");
        Path work = downloaded("customer_id,type\r\nC-1001,shipping_complete\r\n");

        Path local = files.handOver(work, "orders.csv", inbox, "test");

        assertThat(local).isEqualTo(inbox.resolve("orders.csv"));
        assertThat(Files.readString(local)).isEqualTo("customer_id,type\r\nC-1001,shipping_complete\r\n");
        assertThat(work).doesNotExist();
    }

    @Test
    void sameFileHandedOverAgainWhileTheFirstCopyWaitsIsDropped() throws Exception {
        Path inbox = dir.resolve("inbox");
        files.handOver(downloaded("a,b\r\n1,2\r\n"), "orders.csv", inbox, "test");
        Path again = downloaded("a,b\r\n1,2\r\n");

        Path local = files.handOver(again, "orders.csv", inbox, "test");

        assertThat(local).isEqualTo(inbox.resolve("orders.csv"));
        assertThat(again).as("the second download is dropped").doesNotExist();
        assertThat(filesIn(inbox)).isEqualTo(1);
    }

    @Test
    void otherContentUnderTheNameOfAFileStillWaitingGetsItsHashInTheNameAndNeitherIsReplaced() throws Exception {
        Path inbox = dir.resolve("inbox");
        files.handOver(downloaded("yesterday\r\n"), "orders.csv", inbox, "test");

        Path today = files.handOver(downloaded("today\r\n"), "orders.csv", inbox, "test");
        Path todayAgain = files.handOver(downloaded("today\r\n"), "orders.csv", inbox, "test");

        String hash = SftpFiles.sha256(today);
        assertThat(today.getFileName().toString()).isEqualTo("orders-" + hash.substring(0, 12) + ".csv");
        assertThat(todayAgain).isEqualTo(today);
        assertThat(Files.readString(inbox.resolve("orders.csv"))).isEqualTo("yesterday\r\n");
        assertThat(Files.readString(today)).isEqualTo("today\r\n");
        assertThat(filesIn(inbox)).isEqualTo(2);
    }

    @Test
    void hashedNameKeepsTheExtensionTheInboxSelectsFilesBy() {
        String hash = "0123456789abcdef".repeat(4);
        assertThat(SftpFiles.hashedName("orders.csv", hash)).isEqualTo("orders-0123456789ab.csv");
        assertThat(SftpFiles.hashedName("billing.2026-11.ndjson", hash)).isEqualTo("billing.2026-11-0123456789ab.ndjson");
        assertThat(SftpFiles.hashedName("EXPORT", hash)).isEqualTo("EXPORT-0123456789ab");
    }
}
