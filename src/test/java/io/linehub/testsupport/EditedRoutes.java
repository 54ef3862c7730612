package io.linehub.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edits an integration engineer makes to the shipped routes, for tests that run a hub on edited routes: a copy of
 * routes/ to edit, rules added to the channel-routing rule, the `when`s of a choice to move or change.
 */
public final class EditedRoutes {

    /** The indentation of a `when` of the shipped routes' choices (channel routing, channel policy). */
    public static final String WHEN = "              - simple: ";
    private static final String FIRST_ROUTING_RULE = WHEN + "\"${exchangeProperty.HubLineChannel} != null\"";

    private EditedRoutes() {
    }

    /** A copy of the shipped routes/*.camel.yaml in {@code dir}; returns {@code dir}. */
    public static Path copyShipped(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** Adds {@code whens} (YAML at the choice's indentation) before the first rule of the copy's channel-routing rule. */
    public static void addRoutingRules(Path routes, String whens) throws IOException {
        Path routing = routes.resolve("channel-routing.camel.yaml");
        String yaml = Files.readString(routing);
        assertThat(yaml).contains(FIRST_ROUTING_RULE);
        Files.writeString(routing, yaml.replace(FIRST_ROUTING_RULE, whens + FIRST_ROUTING_RULE));
    }

    /** The `when` of a shipped choice whose predicate is {@code predicate}, up to the next one. */
    public static String when(String yaml, String predicate) {
        int start = yaml.indexOf(WHEN + predicate);
        assertThat(start).as(predicate).isPositive();
        int end = yaml.indexOf(WHEN, start + 1);
        return yaml.substring(start, end);
    }

    /** The settings that make a hub load its routes from {@code routes} instead of the shipped ones. */
    public static String includePattern(Path routes) {
        return "file:" + routes.toAbsolutePath() + "/*.camel.yaml";
    }
}
