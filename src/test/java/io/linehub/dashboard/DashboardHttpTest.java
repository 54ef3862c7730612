package io.linehub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.linehub.inbox.Inbox;
import io.linehub.json.Json;
import io.linehub.testsupport.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard over HTTP: sign-in and its cookie, sessions, scopes, CSRF, escaping of hostile values, hostile parameters. */
class DashboardHttpTest {

    static final String XSS = "<script>alert('x')</script>";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(dataDir, Map.of("hub.inbox.poll-ms", "100", "hub.inbox.stable-ms", "200"));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static HttpResponse<String> page(String path, String cookie) throws Exception {
        return hub.send("GET", path, null, "Authorization", TestHub.NO_AUTH, "Cookie", cookie == null ? "" : "hub_session=" + cookie);
    }

    static HttpResponse<String> form(String path, String cookie, String... fields) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return hub.send("POST", path, b.toString().getBytes(StandardCharsets.UTF_8), "Authorization", TestHub.NO_AUTH,
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie == null ? "" : "hub_session=" + cookie);
    }

    static String signIn(String key) throws Exception {
        HttpResponse<String> r = form("/signin", null, "key", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring("hub_session=".length(), cookie.indexOf(';'));
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with the CSRF token").isTrue();
        return m.group(1);
    }

    static String readKey() throws Exception {
        HttpResponse<String> r = hub.post("/api/keys", "{\"name\":\"ops viewer\",\"scopes\":[\"read\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.read(r.body()).path("key").asText();
    }

    @Test
    void pagesAskToSignInAndTheSessionCookieIsHttpOnlySameSiteStrictAndSecure() throws Exception {
        HttpResponse<String> anonymous = page("/", null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).contains("/signin");
        assertThat(page("/notifications", "forged-token").statusCode()).isEqualTo(303);

        HttpResponse<String> wrong = form("/signin", null, "key", "not-a-key-" + XSS);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid").doesNotContain("not-a-key").doesNotContain("<script>");

        HttpResponse<String> ok = form("/signin", null, "key", TestHub.API_KEY);
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("hub_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Secure").contains("Path=/")
                .doesNotContain(TestHub.API_KEY);
        String session = cookie.substring("hub_session=".length(), cookie.indexOf(';'));
        HttpResponse<String> overview = page("/", session);
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/html; charset=utf-8");
        assertThat(overview.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(overview.body()).contains("<h1>Overview</h1>").contains("default").doesNotContain(TestHub.API_KEY);

        HttpResponse<String> out = form("/signout", session, "csrf", csrf(overview.body()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(page("/", session).statusCode()).as("the session ended").isEqualTo(303);
    }

    @Test
    void aSendOnlyKeyCannotSignInAndARevokedKeyEndsItsSessions() throws Exception {
        HttpResponse<String> r = hub.post("/api/keys", "{\"name\":\"sender\",\"scopes\":[\"send\"]}");
        String sendKey = Json.read(r.body()).path("key").asText();
        HttpResponse<String> refused = form("/signin", null, "key", sendKey);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("neither the scope read nor admin");

        HttpResponse<String> created = hub.post("/api/keys", "{\"name\":\"temp\",\"scopes\":[\"read\"]}");
        JsonNode key = Json.read(created.body());
        String session = signIn(key.path("key").asText());
        assertThat(page("/files", session).statusCode()).isEqualTo(200);
        assertThat(hub.delete("/api/keys/" + key.path("id").asText()).statusCode()).isEqualTo(204);
        assertThat(page("/files", session).statusCode()).as("revoked key: back to sign-in").isEqualTo(303);
    }

    @Test
    void hostileValuesAreEscapedOnEveryPageThatShowsThem() throws Exception {
        HttpResponse<String> sent = hub.post("/api/notifications", "{\"type\":\"shipping_complete\",\"to\":{\"customerId\":\"C-1001\"},"
                + "\"data\":{\"orderNumber\":\"" + XSS.replace("'", "\\u0027") + "\",\"shippedDate\":\"2026-11-27\"}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        String id = Json.read(sent.body()).path("id").asText();
        Path inbox = dataDir.resolve("inbox");
        new Inbox(dataDir).drop("<img src=x onerror=alert(1)>.csv",
                "customer_id,type,orderNumber,shippedDate\r\nC-1002,shipping_complete,\"<b>bold</b>\",2026-11-27\r\n".getBytes(StandardCharsets.UTF_8));
        String session = signIn(TestHub.API_KEY);
        await().atMost(Duration.ofSeconds(60)).until(() -> page("/files", session).body().contains("onerror"));

        for (String path : new String[]{"/notifications?customerId=C-1001", "/notifications/" + id, "/files",
                "/notifications?type=" + URLEncoder.encode(XSS, StandardCharsets.UTF_8),
                "/dead-letters?channel=" + URLEncoder.encode("\"><script>alert(2)</script>", StandardCharsets.UTF_8)}) {
            HttpResponse<String> r = page(path, session);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("<script>").doesNotContain("<img src=x").doesNotContain("\"><script");
        }
        // the search form shows the value typed, as text
        assertThat(page("/notifications?type=" + URLEncoder.encode(XSS, StandardCharsets.UTF_8), session).body())
                .contains("value=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\"");
        // the data appears only in the drawn message: escaped by the preview, then again as the frame's srcdoc attribute
        assertThat(page("/notifications/" + id, session).body()).contains("&amp;lt;script&amp;gt;alert(");
        assertThat(page("/files", session).body()).contains("&lt;img src=x onerror=alert(1)&gt;.csv");
        assertThat(inbox).exists();
    }

    @Test
    void actionsNeedAnAdminKeyTheSessionsCsrfTokenAndTheSameOrigin() throws Exception {
        String admin = signIn(TestHub.API_KEY);
        String token = csrf(page("/dead-letters", admin).body());
        String id = "01900000-0000-7000-8000-000000000000";
        assertThat(form("/notifications/" + id + "/replay", admin).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(form("/notifications/" + id + "/replay", admin, "csrf", "forged").statusCode()).as("a forged token").isEqualTo(403);
        HttpResponse<String> crossSite = hub.send("POST", "/notifications/" + id + "/replay", ("csrf=" + token).getBytes(StandardCharsets.UTF_8),
                "Authorization", TestHub.NO_AUTH, "Content-Type", "application/x-www-form-urlencoded", "Cookie", "hub_session=" + admin,
                "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(form("/notifications/" + id + "/replay", admin, "csrf", token).statusCode()).as("token right, no such notification").isEqualTo(404);

        String reader = signIn(readKey());
        String readerPage = page("/dead-letters", reader).body();
        assertThat(readerPage).contains("Replay needs an API key with the scope admin").doesNotContain(">Replay</button>");
        String readerToken = csrf(readerPage); // the sign-out form's
        HttpResponse<String> refused = form("/notifications/" + id + "/replay", reader, "csrf", readerToken);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("scope admin");
        assertThat(form("/dead-letters/replay", reader, "csrf", readerToken).statusCode()).isEqualTo(403);
    }

    static String deadLetter(String customerId) {
        String userId = "U" + java.util.UUID.randomUUID().toString().replace("-", "");
        String request = "{\"to\":\"" + userId + "\",\"messages\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        String id = hub.bean("notificationQueue", io.linehub.outbox.NotificationQueue.class).enqueue(new io.linehub.outbox.NewNotification(
                "shipping_complete", "default", "push", customerId, null, null, "JP", "ja", "{\"shippedDate\":\"2026-11-27\"}", request, null,
                "dl-" + userId, userId, java.util.UUID.randomUUID().toString(), "digest-" + userId, "test")).id();
        return id;
    }

    @Test
    void bulkReplayTakesEveryDeadLetterTheFilterMatchesAndNoOther() throws Exception {
        // pushes to user IDs that are not friends: the sandbox answers 400, a final failure
        String a = deadLetter("C-BULK");
        String b = deadLetter("C-BULK");
        String other = deadLetter("C-OTHER");
        for (String id : new String[]{a, b, other}) {
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.notification(id).path("status").asText().equals("FAILED"));
        }
        String session = signIn(TestHub.API_KEY);
        String listed = page("/dead-letters?customerId=C-BULK", session).body();
        assertThat(listed).contains(a).contains(b).doesNotContain(other);
        HttpResponse<String> r = form("/dead-letters/replay", session, "csrf", csrf(listed), "customerId", "C-BULK");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElse("")).contains("customerId=C-BULK").contains("replayed=2");
        assertThat(hub.notification(a).path("history").findValuesAsText("reason")).contains("replayed by an operator");
        assertThat(hub.notification(b).path("history").findValuesAsText("reason")).contains("replayed by an operator");
        assertThat(hub.notification(other).path("history").findValuesAsText("reason")).doesNotContain("replayed by an operator");
        assertThat(hub.count("SELECT COUNT(*) FROM admin_audit WHERE action = 'notification.replay-bulk'")).isEqualTo(1);
        assertThat(page(r.headers().firstValue("Location").orElseThrow(), session).body()).contains("2 dead letters replayed");
    }

    @Test
    void hostileParametersGetA400Or404PageNever500() throws Exception {
        String session = signIn(TestHub.API_KEY);
        Map<String, Integer> expected = Map.of(
                "/notifications?page=abc", 400,
                "/notifications?status=BOGUS", 400,
                "/notifications?from=yesterday", 400,
                "/notifications?customerId=" + "9".repeat(500), 400,
                "/dead-letters?status=SENT", 400,
                "/notifications/" + "x".repeat(300), 404,
                "/templates/no_such_type", 404,
                "/files/nothing.csv/report", 404,
                "/files/..%2F..%2Fetc%2Fpasswd/report", 404);
        for (var e : expected.entrySet()) {
            HttpResponse<String> r = page(e.getKey(), session);
            assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(e.getValue());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(e.getKey()).startsWith("text/html");
        }
        assertThat(page("/notifications?from=2026-12-01&to=2026-12-02T10:00&status=SENT", session).statusCode()).isEqualTo(200);
    }

    @Test
    void templatesPageListsEveryTypeInEveryLanguageAndTheLonKeysPerCountry() throws Exception {
        String session = signIn(TestHub.API_KEY);
        String body = page("/templates", session).body();
        JsonNode catalogue = Json.read(hub.get("/api/templates").body());
        assertThat(catalogue.size()).isEqualTo(22);
        for (JsonNode t : catalogue) {
            for (String lang : new String[]{"th", "en", "ja", "zh-TW"}) {
                assertThat(body).contains("/templates/" + t.path("type").asText() + "?language=" + URLEncoder.encode(lang, StandardCharsets.UTF_8));
            }
        }
        assertThat(body).contains("LON key JP").contains("LON key TH").contains("LON key TW");
        String th = page("/templates/shipping_complete?language=th", session).body();
        assertThat(th).contains("<iframe sandbox").contains("srcdoc=\"&lt;!DOCTYPE html&gt;");
    }
}
