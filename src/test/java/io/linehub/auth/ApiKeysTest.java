package io.linehub.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.json.Json;
import io.linehub.testsupport.HubProcesses;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.linehub.testsupport.TestHub.NO_AUTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13's authentication and authorisation on a real hub: 401 without or with a wrong key, 403 at every scope
 * boundary, keys created / listed / revoked (a revoked key is refused at once), keys stored only as their hash
 * (the text nowhere in the database or the log), the quick-start key, the audit of admin actions, the start-up
 * refusals.
 */
class ApiKeysTest {

    private static final String NOTIFICATION = "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},"
            + "\"data\":{\"orderNumber\":\"L-1\",\"shippedDate\":\"2026-11-27\"}}";
    private static final Path LOG = Path.of("target/test-logs/hub-0.log");

    @TempDir
    Path dataDir;
    private TestHub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    private TestHub start(Map<String, String> overrides) throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("hub.sandbox", "on"));
        p.putAll(overrides);
        hub = TestHub.start(dataDir, p);
        return hub;
    }

    private static String bearer(String key) {
        return "Bearer " + key;
    }

    /** Creates a key with the admin key; returns the 201 answer. */
    private JsonNode create(String name, String... scopes) throws Exception {
        HttpResponse<String> r = hub.post("/api/keys", Json.write(Map.of("name", name, "scopes", List.of(scopes))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.read(r.body());
    }

    private static void assertRefused(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.read(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(status == 401 ? "unauthorized" : "forbidden");
        assertThat(body.path("field").asText()).isEqualTo("Authorization");
        assertThat(body.path("message").asText()).isNotBlank();
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        } else {
            assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    void withoutAKeyOrWithAWrongOneEveryApiRouteAnswers401AndSaysNothingOfTheResource() throws Exception {
        start(Map.of());
        String id = Json.read(hub.post("/api/notifications", NOTIFICATION).body()).path("id").asText();

        assertRefused(hub.post("/api/notifications", NOTIFICATION, "Authorization", NO_AUTH), 401);
        assertRefused(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer("lnh_not-a-key-at-all-0000000000000000000000")), 401);
        assertRefused(hub.post("/api/notifications", NOTIFICATION, "Authorization", "Basic " + TestHub.API_KEY), 401);
        assertRefused(hub.post("/api/notifications", NOTIFICATION, "Authorization", "Bearer "), 401);
        // the same answer for a notification that exists and one that does not
        HttpResponse<String> existing = hub.get("/api/notifications/" + id, "Authorization", NO_AUTH);
        HttpResponse<String> missing = hub.get("/api/notifications/00000000-0000-0000-0000-000000000000", "Authorization", bearer("wrong"));
        assertRefused(existing, 401);
        assertRefused(missing, 401);
        assertThat(existing.body()).isEqualTo(hub.get("/api/notifications/nope", "Authorization", NO_AUTH).body());
        assertThat(existing.body()).doesNotContain(id);
        for (String path : List.of("/api/dead-letters", "/api/channels/paused", "/api/templates", "/api/keys")) {
            assertRefused(hub.get(path, "Authorization", NO_AUTH), 401);
        }
        assertRefused(hub.post("/api/notifications/batch", "[" + NOTIFICATION + "]", "Authorization", NO_AUTH), 401);
        assertRefused(hub.post("/api/notifications/" + id + "/replay", "", "Authorization", NO_AUTH), 401);
        assertRefused(hub.post("/api/templates/shipping_complete/preview", "{}", "Authorization", NO_AUTH), 401);
        assertRefused(hub.post("/api/keys", "{\"name\":\"x\",\"scopes\":[\"send\"]}", "Authorization", NO_AUTH), 401);
        assertRefused(hub.delete("/api/keys/whatever", "Authorization", NO_AUTH), 401);
        // nothing was queued by the refused requests
        assertThat(hub.count("SELECT COUNT(*) FROM notification")).isEqualTo(1);
        // open: the API's description, health, the webhook (signature-checked instead)
        assertThat(hub.get("/api/openapi.yaml", "Authorization", NO_AUTH).statusCode()).isEqualTo(200);
        assertThat(hub.get("/observe/health", "Authorization", NO_AUTH).statusCode()).isNotIn(401, 403);
        assertThat(hub.post("/webhook/line/default", "{\"events\":[]}", "Authorization", NO_AUTH, "x-line-signature", "bad").statusCode())
                .isEqualTo(401);
    }

    @Test
    void eachScopeOpensItsRoutesOnlyAndTheAnswerNeverEchoesTheKey() throws Exception {
        start(Map.of());
        String send = create("erp", "send").path("key").asText();
        String read = create("dashboard", "read").path("key").asText();
        String admin = create("ops", "admin").path("key").asText();
        String id = Json.read(hub.post("/api/notifications", NOTIFICATION).body()).path("id").asText();

        record Call(String scope, String method, String path, String body) {
        }
        List<Call> calls = List.of(
                new Call("send", "POST", "/api/notifications", NOTIFICATION),
                new Call("send", "POST", "/api/notifications/batch", "[" + NOTIFICATION + "]"),
                new Call("read", "GET", "/api/notifications/" + id, null),
                new Call("read", "GET", "/api/dead-letters", null),
                new Call("read", "GET", "/api/channels/paused", null),
                new Call("read", "GET", "/api/templates", null),
                new Call("read", "POST", "/api/templates/shipping_complete/preview",
                        "{\"data\":{\"orderNumber\":\"L-1\",\"shippedDate\":\"2026-11-27\"}}"),
                new Call("admin", "POST", "/api/notifications/" + id + "/replay", ""),
                new Call("admin", "GET", "/api/keys", null),
                new Call("admin", "POST", "/api/keys", "{\"name\":\"another\",\"scopes\":[\"read\"]}"),
                new Call("admin", "DELETE", "/api/keys/00000000-0000-0000-0000-000000000000", null));
        Map<String, String> keys = Map.of("send", send, "read", read, "admin", admin);
        for (Call call : calls) {
            for (Map.Entry<String, String> k : keys.entrySet()) {
                HttpResponse<String> r = switch (call.method()) {
                    case "GET" -> hub.get(call.path(), "Authorization", bearer(k.getValue()));
                    case "DELETE" -> hub.delete(call.path(), "Authorization", bearer(k.getValue()));
                    default -> hub.post(call.path(), call.body(), "Authorization", bearer(k.getValue()));
                };
                if (k.getKey().equals(call.scope())) {
                    assertThat(r.statusCode()).as("%s %s with %s: %s", call.method(), call.path(), k.getKey(), r.body()).isNotIn(401, 403);
                } else {
                    assertRefused(r, 403);
                    assertThat(r.body()).as("403 says which scope, not whether %s exists", call.path())
                            .contains("'" + call.scope() + "'").doesNotContain(id);
                }
                assertThat(r.body()).doesNotContain(k.getValue());
                assertThat(r.headers().map().toString()).doesNotContain(k.getValue());
            }
        }
        // a key may hold several scopes
        String both = create("erp-and-status", "send", "read").path("key").asText();
        assertThat(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer(both)).statusCode()).isEqualTo(202);
        assertThat(hub.get("/api/notifications/" + id, "Authorization", bearer(both)).statusCode()).isEqualTo(200);
        assertRefused(hub.get("/api/keys", "Authorization", bearer(both)), 403);
    }

    @Test
    void keysAreCreatedListedWithoutTheirTextAndARevokedKeyIsRefusedAtOnce() throws Exception {
        start(Map.of("hub.api-key-cache-seconds", "60"));
        JsonNode created = create("erp", "send", "read");
        String key = created.path("key").asText();
        String id = created.path("id").asText();
        assertThat(created.path("name").asText()).isEqualTo("erp");
        assertThat(created.path("scopes")).extracting(JsonNode::asText).containsExactly("send", "read");
        assertThat(created.path("createdAt").asText()).isNotBlank();
        assertThat(key).startsWith("lnh_").hasSizeGreaterThanOrEqualTo(47);

        assertThat(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer(key)).statusCode()).isEqualTo(202);

        HttpResponse<String> listed = hub.get("/api/keys");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(key).doesNotContain(TestHub.API_KEY).doesNotContain("\"key\"");
        JsonNode erp = null;
        for (JsonNode k : Json.read(listed.body())) {
            if (k.path("id").asText().equals(id)) {
                erp = k;
            }
        }
        assertThat(erp).isNotNull();
        assertThat(erp.path("name").asText()).isEqualTo("erp");
        assertThat(erp.path("lastUsedAt").isNull()).as("the use is shown at once").isFalse();
        assertThat(Json.read(listed.body()).findValuesAsText("name")).contains("HUB_API_KEY");

        // revoked: refused at once, though the cache would keep keys for a minute
        assertThat(hub.delete("/api/keys/" + id).statusCode()).isEqualTo(204);
        assertRefused(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer(key)), 401);
        assertThat(hub.get("/api/keys").body()).doesNotContain(id);
        assertThat(hub.delete("/api/keys/" + id).statusCode()).isEqualTo(404);
        HttpResponse<String> env = hub.delete("/api/keys/" + ApiKeys.ENVIRONMENT_ID);
        assertThat(env.statusCode()).isEqualTo(409);
        assertThat(env.body()).contains("HUB_API_KEY");

        // what a create refuses, naming the field
        for (String[] bad : List.of(new String[]{"{\"name\":\"\",\"scopes\":[\"send\"]}", "name"},
                new String[]{"{\"name\":\"x\",\"scopes\":[]}", "scopes"},
                new String[]{"{\"name\":\"x\",\"scopes\":[\"root\"]}", "scopes"},
                new String[]{"{\"name\":\"x\",\"scopes\":[\"send\"],\"key\":\"mine\"}", "key"},
                new String[]{"not json", "body"})) {
            HttpResponse<String> r = hub.post("/api/keys", bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(Json.read(r.body()).path("field").asText()).isEqualTo(bad[1]);
        }
    }

    @Test
    void keysAreStoredOnlyAsTheirHashAndAppearInNeitherTheDatabaseNorTheLog() throws Exception {
        long offset = Files.exists(LOG) ? Files.size(LOG) : 0;
        start(Map.of("hub.api-key-last-used-seconds", "1"));
        JsonNode created = create("erp", "send");
        String key = created.path("key").asText();
        assertThat(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer(key)).statusCode()).isEqualTo(202);
        assertRefused(hub.get("/api/keys", "Authorization", bearer(key)), 403);
        // the last use reaches the table (written in the background, not by the request)
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.count("SELECT COUNT(*) FROM api_key WHERE id = '"
                + created.path("id").asText() + "' AND last_used_at IS NOT NULL") == 1);

        String dump = dump();
        assertThat(dump).as("the database holds no key's text").doesNotContain(key).doesNotContain(TestHub.API_KEY)
                .doesNotContain(key.substring(4));
        String hash = HexFormat.of().formatHex(ApiKeys.sha256(key));
        assertThat(dump).as("only its SHA-256").contains(hash);
        hub.close();
        hub = null;
        String log = since(offset);
        assertThat(log).contains("AUDIT key.create");
        assertThat(log).doesNotContain(key).doesNotContain(key.substring(4)).doesNotContain(TestHub.API_KEY);
    }

    @Test
    void adminActionsAreAuditedWithTheKeysNameTimeAndTarget() throws Exception {
        long offset = Files.exists(LOG) ? Files.size(LOG) : 0;
        start(Map.of("hub.delivery.enabled", "false"));
        HubProcesses.queue(hub.db(), 1, 0);
        String deadId;
        try (Connection c = hub.db().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE notification SET status = 'FAILED'");
            try (ResultSet rs = st.executeQuery("SELECT id FROM notification")) {
                rs.next();
                deadId = rs.getString(1);
            }
        }
        String ops = create("ops", "admin").path("key").asText();
        String erpId = create("erp", "send").path("id").asText();
        assertThat(hub.post("/api/notifications/" + deadId + "/replay", "", "Authorization", bearer(ops)).statusCode()).isEqualTo(202);
        assertThat(hub.delete("/api/keys/" + erpId, "Authorization", bearer(ops)).statusCode()).isEqualTo(204);
        // refused or failed actions are not audited as done
        assertThat(hub.post("/api/notifications/" + deadId + "/replay", "", "Authorization", bearer(ops)).statusCode()).isEqualTo(409);

        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = hub.db().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT key_name, action, target, at FROM admin_audit ORDER BY id")) {
            while (rs.next()) {
                assertThat(rs.getTimestamp(4)).isNotNull();
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("HUB_API_KEY key.create ").endsWith("(ops)");
        assertThat(rows.get(1)).isEqualTo("HUB_API_KEY key.create " + erpId + " (erp)");
        assertThat(rows.get(2)).isEqualTo("ops notification.replay " + deadId);
        assertThat(rows.get(3)).isEqualTo("ops key.revoke " + erpId + " (erp)");
        assertThat(since(offset)).contains("AUDIT notification.replay " + deadId + " by API key 'ops'")
                .contains("AUDIT key.revoke " + erpId + " (erp) by API key 'ops'").doesNotContain(ops);
    }

    @Test
    void withTheSandboxAndNoHubApiKeyAKeyIsGeneratedOnceWrittenPrivatelyAndNeverLogged() throws Exception {
        long offset = Files.exists(LOG) ? Files.size(LOG) : 0;
        start(Map.of("hub.api-key", ""));
        Path file = dataDir.resolve("api-key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String key = Files.readString(file).trim();
        assertThat(key).startsWith("lnh_");
        assertRefused(hub.get("/api/keys"), 401); // TestHub's usual key is not configured here
        HttpResponse<String> listed = hub.get("/api/keys", "Authorization", bearer(key));
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(Json.read(listed.body()).findValuesAsText("name")).containsExactly("quick-start");
        assertThat(hub.post("/api/notifications", NOTIFICATION, "Authorization", bearer(key)).statusCode()).isEqualTo(202);
        hub.close();
        hub = null;

        // the next start keeps it
        start(Map.of("hub.api-key", ""));
        assertThat(Files.readString(file).trim()).isEqualTo(key);
        assertThat(hub.get("/api/keys", "Authorization", bearer(key)).statusCode()).isEqualTo(200);
        assertThat(dump()).doesNotContain(key);
        hub.close();
        hub = null;
        String log = since(offset);
        assertThat(log).contains(file.toAbsolutePath().toString()).doesNotContain(key).doesNotContain(key.substring(4));
    }

    @Test
    void theHubRefusesToStartWithAShortKeyOrWithRealLineAndNoKeyNamingWhatToSet(@TempDir Path other) throws Exception {
        String shortKey = "too-short-key-1234";
        assertThatThrownBy(() -> TestHub.start(other, Map.of("hub.api-key", shortKey)))
                .hasStackTraceContaining("HUB_API_KEY must be at least 32 characters")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(shortKey));
        assertThatThrownBy(() -> TestHub.start(other, Map.of("hub.api-key", "", "hub.sandbox", "off",
                "line.channel.access.token", "tok", "line.channel.secret", "sec", "line.api.base.url", "http://127.0.0.1:9")))
                .hasStackTraceContaining("HUB_API_KEY");
        // with keys stored earlier, real LINE and no HUB_API_KEY start (and those keys work)
        String stored;
        try (TestHub first = TestHub.start(other, Map.of("hub.sandbox", "on"))) {
            stored = Json.read(first.post("/api/keys", "{\"name\":\"ops\",\"scopes\":[\"admin\",\"read\"]}").body()).path("key").asText();
        }
        try (TestHub second = TestHub.start(other, Map.of("hub.api-key", "", "hub.sandbox", "off", "hub.delivery.enabled", "false",
                "line.channel.access.token", "tok", "line.channel.secret", "sec", "line.api.base.url", "http://127.0.0.1:9"))) {
            assertThat(second.get("/api/keys", "Authorization", bearer(stored)).statusCode()).isEqualTo(200);
            assertRefused(second.get("/api/keys"), 401); // HUB_API_KEY is gone, and with it its key
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** The whole database as SQL text (H2's SCRIPT). */
    private String dump() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = hub.db().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SCRIPT")) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        return b.toString();
    }

    private static String since(long offset) throws java.io.IOException {
        byte[] all = Files.readAllBytes(LOG);
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }
}
