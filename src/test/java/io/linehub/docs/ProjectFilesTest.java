package io.linehub.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is read: it must refer to things that exist and
 * to settings the hub has. The README's configuration table must list every setting the hub reads.
 */
class ProjectFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");

    /** Every environment variable config/application.properties reads, plus the two read in Java. */
    private static Set<String> hubVariables() throws Exception {
        Set<String> vars = new LinkedHashSet<>();
        String settings = String.join("\n", Files.readAllLines(Path.of("config/application.properties")).stream()
                .filter(l -> !l.trim().startsWith("#")).toList());
        Matcher m = ENV.matcher(settings);
        while (m.find()) {
            vars.add(m.group(1));
        }
        vars.add("HUB_CONFIG_DIR");
        return vars;
    }

    @Test
    void dockerComposeRunsPostgresAndTheHubWithSettingsTheHubHas() throws Exception {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
        JsonNode services = compose.path("services");
        assertThat(services.has("postgres")).isTrue();
        assertThat(services.at("/postgres/image").asText()).startsWith("postgres:");
        JsonNode hub = services.path("hub");

        Path context = Path.of(hub.at("/build/context").asText());
        Path dockerfile = context.resolve(hub.at("/build/dockerfile").asText("Dockerfile"));
        assertThat(dockerfile).exists();
        for (String line : Files.readAllLines(dockerfile)) {
            if (line.startsWith("COPY ") && !line.contains("--from")) {
                assertThat(context.resolve(line.split("\\s+")[1])).as(line).exists();
            }
        }
        assertThat(Files.readString(dockerfile)).contains("target/line-notification-hub.jar");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>line-notification-hub</finalName>");

        Set<String> known = hubVariables();
        for (Iterator<String> it = hub.path("environment").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            assertThat(known).as("docker-compose sets %s, which the hub does not read", name).contains(name);
        }
        JsonNode env = hub.path("environment");
        assertThat(env.path("HUB_DB_URL").asText()).isEqualTo("jdbc:postgresql://postgres:5432/" + services.at("/postgres/environment/POSTGRES_DB").asText());
        assertThat(env.path("HUB_DB_USER").asText()).isEqualTo(services.at("/postgres/environment/POSTGRES_USER").asText());
        assertThat(env.path("HUB_DB_PASSWORD").asText()).isEqualTo(services.at("/postgres/environment/POSTGRES_PASSWORD").asText());
        assertThat(hub.path("depends_on").has("postgres")).isTrue();
        // a cluster: two hubs, reached through one published port (the proxy's), whose upstream is the hubs' port
        assertThat(hub.at("/deploy/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hub.path("ports").isMissingNode()).as("the hubs publish no port of their own (the proxy does)").isTrue();
        JsonNode proxy = services.path("proxy");
        assertThat(proxy.path("ports").get(0).asText()).endsWith(":8080");
        String proxyConf = proxy.path("volumes").get(0).asText().split(":")[0];
        assertThat(Files.readString(Path.of(proxyConf))).contains("server hub:" + env.path("HUB_HTTP_PORT").asText());
        for (JsonNode volume : hub.path("volumes")) {
            String source = volume.asText().split(":")[0];
            if (source.startsWith("./")) {
                assertThat(Path.of(source)).as(volume.asText()).exists();
            } else {
                assertThat(compose.path("volumes").has(source)).as("named volume %s is declared", source).isTrue();
            }
        }
    }

    @Test
    void readmeConfigurationTableListsEverySettingAndTheFixedContract() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String var : hubVariables()) {
            assertThat(readme).as("README documents %s", var).contains("`" + var + "`");
        }
        // ../shared/DESIGN.md §6: the fixed external contract
        for (String var : new String[]{"HUB_HTTP_PORT", "HUB_DATA_DIR", "HUB_DB_URL", "HUB_DB_USER", "HUB_DB_PASSWORD",
                "LINE_API_BASE_URL", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET", "HUB_DEFAULT_REGION", "HUB_SANDBOX"}) {
            assertThat(hubVariables()).contains(var);
        }
    }

    @Test
    void readmeCommandsAreTheOnesCiRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String ci = Files.readString(Path.of(".ci/run"));
        assertThat(readme).contains("mvn -B verify");
        assertThat(ci).contains("\nmvn -B verify\n");
        assertThat(readme).contains("java -jar target/line-notification-hub.jar");
    }

    @Test
    void everyRouteFileGivesEachRouteAnId() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : YAML.readTree(f.toFile())) {
                    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) item::fields) {
                        // a templatedRoute names its route with routeId
                        String id = e.getValue().path(e.getKey().equals("templatedRoute") ? "routeId" : "id").asText();
                        assertThat(id).as("%s: a %s without id", f, e.getKey()).isNotBlank();
                    }
                }
            }
        }
    }
}
