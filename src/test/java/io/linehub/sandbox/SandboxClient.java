package io.linehub.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: talks to a {@link LineSandbox} with the JDK HTTP client, as the hub would. */
final class SandboxClient {

    static final String PATH = "/v2/bot/message/pnp/templated/push";
    static final String TOKEN = "test-token-channel-a";
    static final String SECRET = "8c570fa6dd201bb328f1c1eac23a96d8";
    /** SHA-256 of "+66812345678" (README §4.3). */
    static final String TH_HASH = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";
    /** SHA-256 of "+818000001234" (README §4.3). */
    static final String JP_HASH = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c";

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String baseUrl;

    SandboxClient(LineSandbox sandbox) {
        this.baseUrl = sandbox.baseUrl();
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> jsonHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + TOKEN);
        h.put("Content-Type", "application/json");
        return h;
    }

    static String minimalBody(String to) {
        return "{\"to\":\"" + to + "\",\"templateKey\":\"shipment_completed_ja\"}";
    }

    HttpResponse<String> push(String body) {
        return post(PATH, jsonHeaders(), body);
    }

    HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** GET with the channel's token (and any extra headers). */
    HttpResponse<String> getAuthorized(String path, String... extraHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET()
                .header("Authorization", "Bearer " + TOKEN);
        for (int i = 0; i < extraHeaders.length; i += 2) {
            b.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        return send(b.build());
    }

    /** POST JSON with the channel's token (and any extra headers as name, value, ...). */
    HttpResponse<String> postJson(String path, String body, String... extraHeaders) {
        Map<String, String> h = jsonHeaders();
        for (int i = 0; i < extraHeaders.length; i += 2) {
            h.put(extraHeaders[i], extraHeaders[i + 1]);
        }
        return post(path, h, body);
    }

    /** A LINE user ID: "U" + 32 hex. */
    static String userId(int n) {
        return "U" + String.format("%032x", n);
    }

    static String text(String text) {
        return "[{\"type\":\"text\",\"text\":\"" + text + "\"}]";
    }

    /** Every request the sandbox answered with 2xx validates against LINE's OpenAPI files. */
    static void assertAcceptedRequestsValidate(LineSandbox sandbox) {
        int checked = 0;
        for (RecordedRequest r : sandbox.requests()) {
            if (r.status() >= 200 && r.status() < 300) {
                org.assertj.core.api.Assertions.assertThat(io.linehub.testsupport.LineOpenApi.validate(r.method(), r.path(), r.headers(),
                        "GET".equals(r.method()) ? null : r.body())).as("%s %s %s", r.method(), r.path(), r.body()).isEmpty();
                checked++;
            }
        }
        org.assertj.core.api.Assertions.assertThat(checked).as("accepted requests checked").isPositive();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
