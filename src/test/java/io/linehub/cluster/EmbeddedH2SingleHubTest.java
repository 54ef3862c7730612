package io.linehub.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded H2 serves one hub: a second hub process on the same data directory (the same H2 files) refuses to start,
 * and says why and what to do, instead of H2's "Database may be already in use".
 */
class EmbeddedH2SingleHubTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHubOnTheSameH2FilesRefusesToStartWithAClearMessage() throws Exception {
        Path data = dir.resolve("data");
        try (HikariDataSource first = Database.open("first-hub", Database.embeddedH2Url(data), null, null, 2)) {
            Database.migrate(first);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.linehub.Hub"));
            Path log = dir.resolve("second-hub.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("LINE_"));
            pb.environment().put("HUB_DATA_DIR", data.toString());
            pb.environment().put("HUB_HTTP_PORT", String.valueOf(TestHub.freePort()));
            pb.environment().put("HUB_SANDBOX_PORT", String.valueOf(TestHub.freePort()));
            pb.environment().put("HUB_API_KEY", HubProcesses.API_KEY);
            Process second = pb.start();
            try {
                assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second hub stops by itself").isTrue();
                String out = Files.readString(log);
                assertThat(second.exitValue()).as(out).isNotZero();
                assertThat(out).contains("is in use by another hub: embedded H2 serves one hub only")
                        .contains("HUB_DB_URL").contains(data.resolve("db").resolve("hub").toAbsolutePath().toString());
            } finally {
                second.destroyForcibly();
            }
        }
    }
}
