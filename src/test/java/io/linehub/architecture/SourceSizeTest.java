package io.linehub.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One concept a class: no source file under src/main grows past what a person can hold (issue 12: 600 lines). */
class SourceSizeTest {

    static final int MAX_LINES = 600;

    @Test
    void noMainSourceFileIsLongerThan600Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES) {
                    tooLong.add(f + " (" + lines + " lines)");
                }
            }
        }
        assertThat(tooLong).as("files over %d lines", MAX_LINES).isEmpty();
    }
}
