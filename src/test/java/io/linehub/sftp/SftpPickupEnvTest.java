package io.linehub.sftp;

import io.linehub.inbox.Inbox;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The secrets of an SFTP pickup come from the hub's environment, as in routes/examples/sftp-pickup.camel.yaml: a hub
 * process is started with a password, a key file and its passphrase in environment variables only, fetches from a
 * real SFTP server with each, and never writes any of them to its output.
 */
class SftpPickupEnvTest {

    private static final String PASSPHRASE = "key-pass-\u3072\u307f\u3064-42";

    @TempDir
    Path dir;

    @Test
    void passwordAndKeyWithPassphraseFromTheEnvironmentLogInAndNeverAppearInTheOutput() throws Exception {
        try (SftpServer server = new SftpServer(dir.resolve("server")).start()) {
            Files.createDirectories(server.root().resolve("by-password"));
            Files.createDirectories(server.root().resolve("by-key"));
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, server.knownHostsLine());
            Path key = dir.resolve("id_ecdsa");
            Files.writeString(key, server.clientKeyFile(PASSPHRASE));

            // the shipped routes plus two pickups whose secrets are {{env:…}} placeholders
            Path routes = dir.resolve("routes");
            Files.createDirectories(routes);
            try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
                for (Path f : shipped.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
            Files.writeString(routes.resolve("pickups.camel.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: sftp-pickup
                        routeId: sftp-env-password
                        parameters:
                          - {name: name, value: env-password}
                          - {name: host, value: 127.0.0.1}
                          - {name: port, value: "%1$d"}
                          - {name: username, value: "{{env:TEST_SFTP_USER}}"}
                          - {name: password, value: "{{env:TEST_SFTP_PASSWORD:}}"}
                          - {name: directory, value: by-password}
                          - {name: pollMs, value: "300"}
                          - {name: stableMs, value: "500"}
                    - templatedRoute:
                        routeTemplateRef: sftp-pickup
                        routeId: sftp-env-key
                        parameters:
                          - {name: name, value: env-key}
                          - {name: host, value: 127.0.0.1}
                          - {name: port, value: "%1$d"}
                          - {name: username, value: "{{env:TEST_SFTP_USER}}"}
                          - {name: privateKeyFile, value: "{{env:TEST_SFTP_KEY_FILE:}}"}
                          - {name: privateKeyPassphrase, value: "{{env:TEST_SFTP_KEY_PASSPHRASE:}}"}
                          - {name: directory, value: by-key}
                          - {name: pollMs, value: "300"}
                          - {name: stableMs, value: "500"}
                    """.formatted(server.port()));

            Path data = dir.resolve("data");
            Path output = dir.resolve("hub-output.txt");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", classPath(), "io.linehub.Hub");
            Map<String, String> env = pb.environment();
            env.put("HUB_DATA_DIR", data.toString());
            env.put("HUB_HTTP_PORT", String.valueOf(TestHub.freePort()));
            env.put("HUB_HTTP_HOST", "127.0.0.1");
            env.put("HUB_SANDBOX_PORT", "0");
            env.put("HUB_DEMO_ENABLED", "false");
            env.put("HUB_DELIVERY_ENABLED", "false");
            env.put("HUB_API_KEY", TestHub.API_KEY);
            env.put("HUB_ROUTES_DIR", routes.toString());
            env.put("HUB_SFTP_KNOWN_HOSTS", knownHosts.toString());
            env.put("HUB_INBOX_POLL_MS", "200");
            env.put("HUB_INBOX_STABLE_MS", "300");
            env.put("TEST_SFTP_USER", SftpServer.USER);
            env.put("TEST_SFTP_PASSWORD", SftpServer.PASSWORD);
            env.put("TEST_SFTP_KEY_FILE", key.toString());
            env.put("TEST_SFTP_KEY_PASSPHRASE", PASSPHRASE);
            pb.redirectErrorStream(true).redirectOutput(output.toFile());
            Process hub = pb.start();
            try {
                server.put("by-password/pw-orders.csv", csv("ENV-PW"));
                server.put("by-key/key-orders.csv", csv("ENV-KEY"));
                Inbox inbox = new Inbox(data);
                for (String name : List.of("pw-orders.csv", "key-orders.csv")) {
                    assertThat(inbox.awaitReport(name, Duration.ofSeconds(180))).as(name).hasSize(2)
                            .extracting(r -> r[1]).containsOnly("accepted");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.list(server.root().resolve("by-key/.done")).count() == 1
                        && Files.list(server.root().resolve("by-password/.done")).count() == 1);
            } finally {
                hub.destroy();
                if (!hub.waitFor(30, TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(out).contains("handed over");
            assertThat(out).doesNotContain(SftpServer.PASSWORD).doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY");
        }
    }

    private static byte[] csv(String prefix) {
        return ("customer_id,type,orderNumber,shippedDate\r\n"
                + "C-1001,shipping_complete," + prefix + "-1,2026-11-27\r\n"
                + "C-1002,shipping_complete," + prefix + "-2,2026-11-27\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The test class path as a list of files (surefire's own, not its manifest-only booter jar). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path").replace(":", File.pathSeparator);
    }
}
