package io.linehub.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: hostile input on the API and the HTTP layer. The cases are data, one NDJSON file per category in
 * src/test/resources/hostile/api/ (add a line to add a case): {@code name}, then either {@code method}, {@code path},
 * {@code headers}, {@code body} (text) or {@code bodyBase64} (raw bytes), or {@code raw} (the whole request as
 * written on the socket, for what the HTTP client refuses to send); expected {@code status}; {@code field} (the
 * error's field, alternatives separated by |); optional {@code reason} (a substring), {@code mustNotEcho} (a part of
 * the input the answer must not repeat), {@code items} (batch: each item's error field, null = accepted),
 * {@code stores} (notifications the case may store, default 0), {@code closes} (raw: the server closed the
 * connection), {@code oneAnswer} (raw: exactly one answer, nothing smuggled), {@code waitMs} (raw: how long to read).
 * Every case: no 5xx, nothing stored or sent beyond {@code stores}, no ERROR with a stack trace in the log; after
 * each category a good request is still accepted, with only the documented headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileApiTest {

    private static final Path CASES = Path.of("src/test/resources/hostile/api");
    private static final List<String> CATEGORIES = List.of("json", "media-types", "batch", "query", "preview", "http-raw");
    private static final String GOOD = "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},"
            + "\"data\":{\"orderNumber\":\"H-1\",\"shippedDate\":\"2026-11-27\"}}";
    /** What a 202 may carry (docs/api.md): the body's type, its length or chunking, where to follow the notification. */
    private static final Set<String> DOCUMENTED_202_HEADERS = Set.of("content-type", "content-length", "transfer-encoding", "location");

    private Path dataDir;
    private TestHub hub;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("hostile-api");
        hub = TestHub.start(dataDir, Map.of("hub.sandbox", "on", "hub.http.idle-timeout-seconds", "2"));
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterAll
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (hub != null) {
            hub.close();
        }
    }

    Stream<Arguments> cases() throws Exception {
        List<Arguments> all = new ArrayList<>();
        for (String category : CATEGORIES) {
            for (String line : Files.readAllLines(CASES.resolve(category + ".ndjson"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode c = Json.read(line);
                    all.add(Arguments.of(category + ": " + c.path("name").asText(), c));
                }
            }
            all.add(Arguments.of(category + ": a good request is still accepted afterwards", null));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileInputIsRefusedCleanly(String name, JsonNode c) throws Exception {
        settle();
        long stored = stored();
        int sent = hub.sandbox().requests().size();
        log.list.clear();
        if (c == null) {
            goodRequestStillAccepted();
            return;
        }
        int stores = c.path("stores").asInt(0);
        if (c.has("raw")) {
            raw(c);
        } else {
            http(c);
        }
        assertThat(stored()).as("notifications stored").isEqualTo(stored + stores);
        if (stores == 0) {
            Thread.sleep(50);
            assertThat(hub.sandbox().requests().size()).as("requests LINE received").isEqualTo(sent);
        }
        Thread.sleep(c.has("raw") ? 300 : 0);
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList())
                .as("ERROR or a stack trace in the log").isEmpty();
    }

    private void http(JsonNode c) throws Exception {
        byte[] body = c.has("bodyBase64") ? Base64.getDecoder().decode(c.get("bodyBase64").asText())
                : c.hasNonNull("body") ? c.get("body").asText().getBytes(StandardCharsets.UTF_8) : null;
        List<String> headers = new ArrayList<>();
        c.path("headers").fields().forEachRemaining(e -> {
            headers.add(e.getKey());
            headers.add(e.getValue().asText());
        });
        String method = c.path("method").asText("POST");
        String path = c.path("path").asText();
        HttpResponse<String> r;
        if (method.equals("POST") && body != null && !c.has("headers")) {
            r = hub.post(path, body);
        } else if (method.equals("GET") && headers.isEmpty() && body == null) {
            r = hub.get(path);
        } else {
            r = hub.send(method, path, body, headers.toArray(String[]::new));
        }
        int status = c.path("status").asInt();
        assertThat(r.statusCode()).as("status; body: %s", r.body()).isEqualTo(status);
        assertThat(r.statusCode()).as("never a 5xx").isLessThan(500);
        if (c.hasNonNull("mustNotEcho")) {
            assertThat(r.body()).as("the answer repeats the input").doesNotContain(c.get("mustNotEcho").asText());
        }
        if (c.has("items")) {
            JsonNode results = Json.read(r.body());
            assertThat(results.size()).as("one result per item: %s", r.body()).isEqualTo(c.get("items").size());
            for (int i = 0; i < results.size(); i++) {
                JsonNode expected = c.get("items").get(i);
                JsonNode result = results.get(i);
                assertThat(result.path("index").asInt()).isEqualTo(i);
                if (expected.isNull()) {
                    assertThat(result.has("id")).as("item %s accepted: %s", i, r.body()).isTrue();
                } else {
                    assertThat(result.path("error").path("field").asText()).as("item %s: %s", i, r.body()).isEqualTo(expected.asText());
                    assertThat(result.path("error").path("status").asInt()).as("item %s", i).isBetween(400, 499);
                    assertThat(result.path("error").path("reason").asText()).doesNotContain("Exception").doesNotContain("at [Source");
                }
            }
            return;
        }
        if (status >= 400) {
            assertError(r.body(), r.headers().firstValue("content-type").orElse(""), c);
        }
    }

    private void raw(JsonNode c) throws Exception {
        TestHub.RawAnswer a = hub.raw(c.get("raw").asText().getBytes(StandardCharsets.ISO_8859_1),
                Duration.ofMillis(c.path("waitMs").asLong(3000)));
        int status = c.path("status").asInt();
        if (status > 0) {
            assertThat(a.status()).as("status; answer: %s", a.text()).isEqualTo(status);
        }
        if (c.path("closes").isBoolean()) {
            assertThat(a.closed()).as("connection closed; answer: %s", a.text()).isEqualTo(c.get("closes").asBoolean());
        }
        if (c.path("oneAnswer").asBoolean()) {
            assertThat(a.text().split("HTTP/1\\.", -1).length - 1).as("answers on the connection: %s", a.text()).isEqualTo(1);
        }
        if (status >= 400) {
            assertThat(a.text().toLowerCase()).contains("connection: close");
            assertError(a.body(), "application/json", c);
        }
    }

    private static void assertError(String body, String contentType, JsonNode c) {
        assertThat(contentType).startsWith("application/json");
        JsonNode e = Json.read(body);
        assertThat(e.path("status").asInt()).isEqualTo(c.path("status").asInt());
        assertThat(e.path("error").asText()).isNotEmpty();
        assertThat(e.path("reason").asText()).isNotEmpty().doesNotContain("Exception").doesNotContain("at [Source");
        assertThat(e.path("message").asText()).isNotEmpty();
        if (c.hasNonNull("field")) {
            assertThat(List.of(c.get("field").asText().split("\\|"))).as("field; body: %s", body).contains(e.path("field").asText());
        }
        if (c.hasNonNull("reason")) {
            assertThat(e.path("reason").asText()).containsIgnoringCase(c.get("reason").asText());
        }
    }

    private void goodRequestStillAccepted() throws Exception {
        HttpResponse<String> r = hub.post("/api/notifications", GOOD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().map().keySet().stream().map(String::toLowerCase).filter(h -> !h.startsWith(":")).toList())
                .as("headers of a 202").allMatch(DOCUMENTED_202_HEADERS::contains);
        String id = Json.read(r.body()).path("id").asText();
        assertThat(r.headers().firstValue("location")).contains("/api/notifications/" + id);
        await().atMost(Duration.ofSeconds(20)).until(() -> !Set.of("QUEUED", "SENDING").contains(hub.status(id)));
    }

    /** Whatever an earlier case stored has been sent, so the sandbox's count stands still during the next one. */
    private void settle() {
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.count("SELECT COUNT(*) FROM notification WHERE status IN ('QUEUED','SENDING','RETRY_WAIT')") == 0);
    }

    private long stored() throws Exception {
        return hub.count("SELECT COUNT(*) FROM notification");
    }
}
