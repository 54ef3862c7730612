package io.linehub.inbox;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** A hub's inbox and reports folders as a test sees them: drop files atomically, wait for and read reports. */
public record Inbox(Path dataDir) {

    public Path dir() {
        return dataDir.resolve("inbox");
    }

    public Path report(String fileName) {
        return dataDir.resolve("reports").resolve(fileName + ".result.csv");
    }

    /** Writes next to the inbox, then moves in, as a well-behaved exporter does. */
    public void drop(String fileName, byte[] content) throws IOException {
        Files.createDirectories(dir());
        Path tmp = dataDir.resolve(fileName + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, dir().resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    public void dropResource(String resource, String fileName) throws IOException {
        try (InputStream in = Inbox.class.getResourceAsStream("/inbox/" + resource)) {
            drop(fileName, in.readAllBytes());
        }
    }

    /** Waits until the file has left the inbox (moved to .done/ or .failed/) and returns its report's rows, header dropped. */
    public List<String[]> awaitReport(String fileName, Duration atMost) throws IOException {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> !Files.exists(dir().resolve(fileName)) && Files.exists(report(fileName)));
        return readReport(report(fileName));
    }

    public static List<String[]> readReport(Path report) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(report.toFile())) {
            it.next();
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    public long filesIn(String sub) throws IOException {
        Path d = dir().resolve(sub);
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (var s = Files.list(d)) {
            return s.count();
        }
    }
}
