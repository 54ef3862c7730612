package io.linehub.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code java -jar line-notification-hub.jar replay <id>… [--url http://localhost:8080] [--key <api key>]}: sends
 * dead letters again through a running hub's API ({@code POST /api/notifications/{id}/replay}), after their cause
 * was fixed. The API key (scope admin) is {@code --key}, else HUB_API_KEY, else the quick-start key in
 * {@code $HUB_DATA_DIR/api-key} (./data/api-key).
 */
public final class ReplayCommand {

    static final String USAGE = "usage: replay <notification id>... [--url http://localhost:8080] [--key <api key with scope admin>]"
            + " (default key: HUB_API_KEY, else $HUB_DATA_DIR/api-key)";

    private ReplayCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = "http://localhost:" + (System.getenv("HUB_HTTP_PORT") == null ? "8080" : System.getenv("HUB_HTTP_PORT"));
        java.util.List<String> ids = new java.util.ArrayList<>();
        String key = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--url") && i + 1 < args.length) {
                url = args[++i];
            } else if (args[i].equals("--key") && i + 1 < args.length) {
                key = args[++i];
            } else if (args[i].startsWith("--")) {
                err.println(USAGE);
                return 2;
            } else {
                ids.add(args[i]);
            }
        }
        if (ids.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        key = key != null ? key : defaultKey();
        if (key == null) {
            err.println("no API key: pass --key, set HUB_API_KEY, or run where $HUB_DATA_DIR/api-key is (the sandbox's quick-start key)");
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int failures = 0;
        for (String id : ids) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/notifications/" + id + "/replay"))
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    out.println(id + " queued again");
                } else {
                    failures++;
                    err.println(id + ": " + r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                failures++;
                err.println(id + ": the hub at " + url + " could not be reached (" + e.getClass().getSimpleName() + ")");
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** HUB_API_KEY, else the first line of $HUB_DATA_DIR/api-key (./data), else null. */
    private static String defaultKey() {
        String env = System.getenv("HUB_API_KEY");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        String dir = System.getenv("HUB_DATA_DIR");
        java.nio.file.Path file = java.nio.file.Path.of(dir == null || dir.isBlank() ? "data" : dir, "api-key");
        try {
            String k = java.nio.file.Files.readString(file).trim();
            return k.isEmpty() ? null : k;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
