package io.linehub.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header names have one home each: the hub's own in {@code io.linehub.headers.HubHeaders}, the {@code line:}
 * component's in {@code io.linehub.line.LineConstants}. Java code elsewhere names them through those constants,
 * never as a string literal that could drift from the constant.
 */
class HeaderNamesTest {

    private static final Path MAIN = Path.of("src/main/java/io/linehub");
    private static final Pattern HEADER_LITERAL = Pattern.compile("\"((?:Hub|Line)[A-Z][A-Za-z]+)\"");
    /** Literals that look like header names but are not: LINE's webhook User-Agent. */
    private static final List<String> NOT_HEADERS = List.of("LineBotWebhook");

    @Test
    void noHeaderNameIsWrittenAsALiteralOutsideItsHome() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith(Path.of("headers", "HubHeaders.java")) || f.endsWith(Path.of("line", "LineConstants.java"))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = HEADER_LITERAL.matcher(lines.get(i));
                    while (m.find()) {
                        if (!NOT_HEADERS.contains(m.group(1))) {
                            found.add(MAIN.relativize(f) + ":" + (i + 1) + " " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).as("header names written as literals instead of HubHeaders / LineConstants").isEmpty();
    }

    @Test
    void theHomesDeclareEveryHeaderOnce() throws IOException {
        for (Path home : List.of(MAIN.resolve("headers/HubHeaders.java"), MAIN.resolve("line/LineConstants.java"))) {
            Matcher m = Pattern.compile("static final String \\w+ = (\"[^\"]+\")").matcher(Files.readString(home));
            List<String> values = new ArrayList<>();
            while (m.find()) {
                values.add(m.group(1));
            }
            assertThat(values).as(home.toString()).isNotEmpty().doesNotHaveDuplicates();
        }
    }
}
