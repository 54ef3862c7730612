package io.linehub.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.Hub;
import io.linehub.json.Json;
import io.linehub.sandbox.LineSandbox;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real hub (config/application.properties, routes/) started in this JVM on free ports, for tests. Every hub
 * starts with {@link #API_KEY} as its HUB_API_KEY (every scope; override {@code hub.api-key}, e.g. with "" for
 * none), and {@link #post} / {@link #get} send it as {@code Authorization: Bearer} unless the caller passes its own
 * Authorization header ({@link #NO_AUTH} as its value: none at all).
 */
public final class TestHub implements AutoCloseable {

    /** The admin key every TestHub starts with (hub.api-key). */
    public static final String API_KEY = "test-admin-key-0123456789abcdef0123456789abcdef";
    /** As the value of an Authorization header passed to post/get: send no Authorization header. */
    public static final String NO_AUTH = "\u0000no-auth";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Hub hub;
    private final int port;

    private TestHub(Hub hub, int port) {
        this.hub = hub;
        this.port = port;
    }

    /** The override that lets the metrics' channel watch read LINE's quota endpoints half a second after start. */
    public static final Map<String, String> WATCH_CHANNELS = Map.of("hub.metrics.channel-first-read-ms", "500");

    /** Starts a hub with fast polling and a quick sandbox; {@code overrides} win. */
    public static TestHub start(Path dataDir, Map<String, String> overrides) throws Exception {
        int port = freePort();
        Map<String, String> p = new HashMap<>();
        p.put("hub.http.port", String.valueOf(port));
        p.put("hub.data.dir", dataDir.toString());
        p.put("hub.sandbox.port", "0");
        p.put("hub.sandbox.delivery-delay-ms", "200");
        p.put("hub.delivery.poll-interval-ms", "50");
        p.put("hub.demo.enabled", "false");
        p.put("hub.api-key", API_KEY);
        // the metrics' channel watch reads LINE's quota endpoints: off unless a test asks (WATCH_CHANNELS), so that
        // tests counting the requests LINE received see only their own
        p.put("hub.metrics.channel-first-read-ms", "86400000");
        p.putAll(overrides);
        if (overrides.containsKey("hub.http.port")) {
            port = Integer.parseInt(overrides.get("hub.http.port"));
        }
        return new TestHub(Hub.start(p), port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public org.apache.camel.CamelContext context() {
        return hub.context();
    }

    public <T> T bean(String name, Class<T> type) {
        return hub.bean(name, type);
    }

    public LineSandbox sandbox() {
        return hub.bean("lineSandbox", LineSandbox.class);
    }

    public DataSource db() {
        return hub.bean("hubDataSource", DataSource.class);
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(withHeaders(b, headers).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        return HTTP.send(withHeaders(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).GET(), headers).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> delete(String path, String... headers) throws Exception {
        return HTTP.send(withHeaders(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).DELETE(), headers).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The caller's headers (name, value pairs), and Authorization: Bearer {@link #API_KEY} unless they name one. */
    private static HttpRequest.Builder withHeaders(HttpRequest.Builder b, String... headers) {
        boolean auth = false;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                auth = true;
                if (NO_AUTH.equals(headers[i + 1])) {
                    continue;
                }
            }
            b.setHeader(headers[i], headers[i + 1]);
        }
        if (!auth) {
            b.setHeader("Authorization", "Bearer " + API_KEY);
        }
        return b;
    }

    /** Any method, body and headers (the last value of a header name wins); no Content-Type unless given. */
    public HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(withHeaders(b, headers).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** What came back on a raw connection: the bytes read until the server closed it (or the timeout), and whether it closed. */
    public record RawAnswer(String text, boolean closed) {
        public int status() {
            return text.startsWith("HTTP/") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        public String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    /**
     * Malformed HTTP the client library refuses to send: the bytes as given on a fresh connection (the one place raw
     * requests are written, so a header every request needs can be added here), then everything read until the
     * server closes the connection or {@code wait} passes.
     */
    public RawAnswer raw(byte[] request, Duration wait) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(withAuthorization(request));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            boolean closed = false;
            try {
                for (int n; (n = socket.getInputStream().read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
                closed = true;
            } catch (java.net.SocketTimeoutException stillOpen) {
                // the server kept the connection open
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new RawAnswer(got.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    /**
     * The raw request with {@code Authorization: Bearer} {@link #API_KEY} after its first line, unless it names an
     * Authorization header already (the one header every /api request needs; the rest stays byte for byte).
     */
    private static byte[] withAuthorization(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        if (eol < 0 || text.toLowerCase(java.util.Locale.ROOT).contains("\r\nauthorization:")) {
            return request;
        }
        String auth = "Authorization: Bearer " + API_KEY + "\r\n";
        return (text.substring(0, eol + 2) + auth + text.substring(eol + 2)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The notification as GET /api/notifications/{id} shows it. */
    public JsonNode notification(String id) throws Exception {
        HttpResponse<String> r = get("/api/notifications/" + id);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET notification " + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.read(r.body());
    }

    public String status(String id) throws Exception {
        return notification(id).path("status").asText();
    }

    public long count(String sql) throws Exception {
        try (Connection c = db().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        hub.close();
    }
}
