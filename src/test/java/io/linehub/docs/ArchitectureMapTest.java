package io.linehub.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/architecture.md is the map: every hub class, {@code Class.method}, route id and route file it names must
 * exist, so the map cannot silently keep a class that was moved or a route that was renamed.
 */
class ArchitectureMapTest {

    private static final Path MAP = Path.of("docs/architecture.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** A class name as the map writes it: CamelCase, optionally with a method ({@code Claims.claimDue}). */
    private static final Pattern CLASS = Pattern.compile("([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*)(?:\\.([a-z][A-Za-z0-9]*))?");
    /** Names the map uses that are not the hub's classes: Camel's, the JDK's, LINE's, libraries', HTTP headers. */
    private static final Set<String> NOT_HUB_CLASSES = Set.of("ConcurrentRequests", "ObjectMapper", "Main", "UUIDv7",
            "PostgreSQL", "Flyway", "HikariCP", "Caffeine", "Vert", "Netty", "CopyManager", "Quartz", "ArchUnit",
            "LineBotWebhook", "Thread", "Timer", "Location", "SecureRandom", "MessageDigest", "WatchService");

    @Test
    void everyHubClassTheMapNamesExists() throws IOException {
        Map<String, Path> classes = hubClasses();
        List<String> missing = new ArrayList<>();
        // fenced blocks (the overview diagram) first, so that their backticks do not pair with the text's
        Matcher m = CODE.matcher(Files.readString(MAP).replaceAll("(?s)```.*?```", ""));
        while (m.find()) {
            Matcher c = CLASS.matcher(m.group(1));
            if (!c.matches() || NOT_HUB_CLASSES.contains(c.group(1)) || !c.group(1).chars().skip(1).anyMatch(Character::isLowerCase)) {
                continue;
            }
            String name = c.group(1);
            if (name.startsWith("Hub") && name.length() > 3 && !classes.containsKey(name) && headerName(name)) {
                continue; // an exchange header (HubRateKey …), checked below
            }
            if (name.startsWith("Line") && !classes.containsKey(name) && lineHeaderName(name)) {
                continue; // a line: header (LineSentAt …)
            }
            Path file = classes.get(name);
            if (file == null) {
                missing.add(m.group(1) + " (no such class)");
            } else if (c.group(2) != null && !Files.readString(file).contains(" " + c.group(2) + "(")) {
                missing.add(m.group(1) + " (no such method)");
            }
        }
        assertThat(missing).as("names in docs/architecture.md").isEmpty();
    }

    @Test
    void everyRouteTheMapNamesExists() throws IOException {
        StringBuilder routes = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                routes.append(Files.readString(f));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(MAP)) {
            String[] cells = line.split("\\|");
            if (!(line.startsWith("| `") || line.startsWith("| | `")) || cells.length < 4 || !cells[1].contains(".camel.yaml") && !cells[1].isBlank()) {
                continue;
            }
            Matcher file = CODE.matcher(cells[1]);
            if (file.find() && !Files.exists(Path.of("routes", file.group(1)))) {
                missing.add("routes/" + file.group(1));
            }
            Matcher id = CODE.matcher(cells[2]);
            while (id.find()) {
                String all = routes.toString();
                if (!all.contains("id: " + id.group(1)) && !all.contains("routeId: " + id.group(1))) {
                    missing.add("route " + id.group(1));
                }
            }
        }
        assertThat(missing).as("routes in docs/architecture.md's table").isEmpty();
    }

    private static boolean headerName(String name) throws IOException {
        return Files.readString(Path.of("src/main/java/io/linehub/headers/HubHeaders.java")).contains("\"" + name + "\"");
    }

    private static boolean lineHeaderName(String name) throws IOException {
        return Files.readString(Path.of("src/main/java/io/linehub/line/LineConstants.java")).contains("\"" + name + "\"");
    }

    /** The hub's classes and its tests (the map names tests that prove a rule), by simple name. */
    private static Map<String, Path> hubClasses() throws IOException {
        Map<String, Path> classes = new HashMap<>();
        for (String root : List.of("src/main/java/io/linehub", "src/test/java/io/linehub")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .forEach(p -> classes.putIfAbsent(p.getFileName().toString().replace(".java", ""), p));
            }
        }
        return classes;
    }
}
