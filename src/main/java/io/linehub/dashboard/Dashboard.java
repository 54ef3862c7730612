package io.linehub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.auth.AdminAudit;
import io.linehub.auth.ApiKey;
import io.linehub.auth.ApiKeyRejectedException;
import io.linehub.auth.ApiKeys;
import io.linehub.auth.Scope;
import io.linehub.inbox.FileDrops;
import io.linehub.json.Json;
import io.linehub.line.LineChannel;
import io.linehub.line.LineChannels;
import io.linehub.outbox.ChannelPauses;
import io.linehub.outbox.DeadLetters;
import io.linehub.outbox.NotificationReadModel;
import io.linehub.outbox.RateBudgets;
import io.linehub.template.InvalidNotificationDataException;
import io.linehub.template.LinePayloads;
import io.linehub.template.RenderOptions;
import io.linehub.template.TemplatePreview;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of the dashboard's routes (routes/dashboard.camel.yaml): sign-in with an API key into a server-side
 * session ({@link DashboardSessions}; cookie {@code hub_session}: HttpOnly, SameSite=Strict, Secure unless switched
 * off), {@code require} (a session whose key still holds {@code read} or {@code admin}), {@code action} (an admin key,
 * the form's CSRF token, a same-origin request), and one method per page. A {@code read} key sees every page but no
 * action. Pages are HTML written here ({@link Pages}, {@link NotificationPages}); every value is escaped.
 */
public class Dashboard {

    static final String COOKIE = "hub_session";
    static final int BULK_MAX = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String SESSION = io.linehub.headers.HubHeaders.DASHBOARD_SESSION;

    private final DashboardSessions sessions;
    private final ApiKeys keys;
    private final AdminAudit audit;
    private final NotificationReadModel notifications;
    private final DeadLetters deadLetters;
    private final ChannelPauses pauses;
    private final FileDrops files;
    private final TemplatePreview templates;
    private final LineChannels channels;
    private final RateBudgets budgets;
    private final QuotaReadings quota;
    private final DashboardQueries queries;
    private final boolean secureCookie;

    public Dashboard(DashboardSessions sessions, ApiKeys keys, AdminAudit audit, NotificationReadModel notifications, DeadLetters deadLetters,
                     ChannelPauses pauses, FileDrops files, TemplatePreview templates, LineChannels channels, RateBudgets budgets,
                     org.apache.camel.ProducerTemplate producer, javax.sql.DataSource db, Clock clock, boolean secureCookie) {
        this.sessions = sessions;
        this.keys = keys;
        this.audit = audit;
        this.notifications = notifications;
        this.deadLetters = deadLetters;
        this.pauses = pauses;
        this.files = files;
        this.templates = templates;
        this.channels = channels;
        this.budgets = budgets;
        this.quota = new QuotaReadings(producer);
        this.queries = new DashboardQueries(db, clock);
        this.secureCookie = secureCookie;
    }

    // ------------------------------------------------------------------------------------------------ sign-in

    /** {@code GET /signin}: the form; {@code POST /signin}: a key with read or admin opens a session. */
    public void signIn(Exchange exchange) {
        Message m = exchange.getMessage();
        if (!"POST".equals(m.getHeader(Exchange.HTTP_METHOD, String.class))) {
            html(m, 200, Html.page("Sign in", null, null, signInForm(null), 0));
            return;
        }
        sameOrigin(m);
        String key = form(exchange).get("key");
        ApiKey granted;
        try {
            granted = authorize(key);
        } catch (ApiKeyRejectedException e) {
            LOG.warn("dashboard sign-in refused: {}", e.getMessage());
            html(m, 401, Html.page("Sign in", null, null, signInForm(e.reason() == ApiKeyRejectedException.Reason.MISSING_SCOPE
                    ? "This API key has neither the scope read nor admin, which the dashboard needs." : "The API key is not valid (unknown or revoked)."), 0));
            return;
        }
        String[] opened = sessions.open(key.trim(), granted);
        LOG.info("dashboard sign-in: key {} ({})", granted.name(), granted.id());
        m.removeHeaders("*");
        m.setHeader("Set-Cookie", COOKIE + "=" + opened[0] + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + sessions.idle().toSeconds()
                + (secureCookie ? "; Secure" : ""));
        redirect(m, "/");
    }

    private static String signInForm(String error) {
        return (error == null ? "" : "<div class=\"err\" role=\"alert\">" + Html.esc(error) + "</div>")
                + "<form method=\"post\" action=\"/signin\"><p><label>API key (scope read, or admin for replays)"
                + "<input name=\"key\" type=\"password\" autocomplete=\"off\" required autofocus size=\"60\"></label></p>"
                + "<button type=\"submit\">Sign in</button></form>";
    }

    private ApiKey authorize(String key) {
        String presented = key == null ? null : key.trim();
        try {
            return keys.authorize(presented, Scope.READ);
        } catch (ApiKeyRejectedException e) {
            if (e.reason() != ApiKeyRejectedException.Reason.MISSING_SCOPE) {
                throw e;
            }
            return keys.authorize(presented, Scope.ADMIN);
        }
    }

    /** {@code POST /signout}: the session ends (CSRF-checked like any action, but any scope may). */
    public void signOut(Exchange exchange) {
        DashboardSessions.Session s = require(exchange);
        checkCsrf(exchange, s);
        sessions.close(s);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secureCookie ? "; Secure" : ""));
        redirect(m, "/signin");
    }

    /** Every page's first step: a live session whose key is still active with read or admin; else to the sign-in form. */
    public DashboardSessions.Session require(Exchange exchange) {
        String token = cookie(exchange.getMessage().getHeader("Cookie", String.class));
        DashboardSessions.Session s = sessions.find(token).orElseThrow(SignInRequiredException::new);
        try {
            authorize(s.presentedKey());
        } catch (ApiKeyRejectedException e) {
            sessions.close(s);
            throw new SignInRequiredException();
        }
        exchange.setProperty(SESSION, s);
        return s;
    }

    /** An action's first step: a session of an admin key, the session's CSRF token in the form, and no other origin. */
    public void action(Exchange exchange) {
        DashboardSessions.Session s = require(exchange);
        if (!s.key().has(Scope.ADMIN)) {
            throw new DashboardForbiddenException("this needs an API key with the scope admin; yours has " + s.key().scopes());
        }
        checkCsrf(exchange, s);
    }

    private void checkCsrf(Exchange exchange, DashboardSessions.Session s) {
        sameOrigin(exchange.getMessage());
        if (!DashboardSessions.csrfMatches(s, form(exchange).get("csrf"))) {
            throw new DashboardForbiddenException("the form's CSRF token is missing or not this session's: reload the page and try again");
        }
    }

    /** A browser's Origin header, when sent, must be this host (a cross-site form post is refused even before the CSRF check). */
    private static void sameOrigin(Message m) {
        String origin = m.getHeader("Origin", String.class);
        String host = m.getHeader("Host", String.class);
        if (origin != null && !origin.equals("null") && host != null && !origin.replaceFirst("^https?://", "").equals(host)) {
            throw new DashboardForbiddenException("the request comes from another site");
        }
    }

    // ------------------------------------------------------------------------------------------------ pages

    public void overview(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Map<String, Map<String, Long>> counts = queries.overview();
        Map<String, Map<String, Object>> paused = new HashMap<>();
        pauses.paused().forEach(p -> paused.put((String) p.get("channel"), p));
        List<Pages.ChannelLine> lines = new ArrayList<>();
        for (LineChannel c : channels.all()) {
            lines.add(new Pages.ChannelLine(c.name(), c.country(), budgets.budget(c.name(), "pnp-template"), counts.getOrDefault(c.name(), Map.of()),
                    quota.left(c.name()), paused.get(c.name())));
        }
        List<Map<String, Object>> recent = files.list(100);
        boolean reading = recent.stream().anyMatch(f -> "reading".equals(f.get("state")));
        html(exchange.getMessage(), 200, Html.page("Overview", "Overview", s, Pages.overview(lines, recent), reading ? 2 : 10));
    }

    public void notifications(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Message m = exchange.getMessage();
        int page = page(m);
        NotificationFilter f;
        try {
            f = NotificationFilter.from(name -> m.getHeader(name, String.class));
        } catch (DashboardInputException e) {
            html(m, 400, Html.page("Notifications", "Notifications", s, NotificationPages.search(NotificationFilter.from(n -> null), List.of(), 1,
                    e.getMessage()), 0));
            return;
        }
        List<Map<String, Object>> rows = queries.search(f, null, (page - 1) * NotificationPages.PAGE_SIZE, NotificationPages.PAGE_SIZE + 1);
        html(m, 200, Html.page("Notifications", "Notifications", s, NotificationPages.search(f, rows, page, null), 0));
    }

    public void notification(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Message m = exchange.getMessage();
        String id = m.getHeader("id", String.class);
        Map<String, Object> v = (id == null || id.length() > 36 ? Optional.<Map<String, Object>>empty() : notifications.view(id))
                .orElseThrow(() -> new DashboardNotFoundException("no notification with this id"));
        String html = null;
        String problem = null;
        try {
            html = rendered(id);
        } catch (RuntimeException e) {
            problem = "The message cannot be drawn: " + e.getMessage();
        }
        String notice = "replayed".equals(m.getHeader("notice", String.class)) ? "Replayed: the notification is queued to be sent again." : null;
        html(m, 200, Html.page("Notification " + id, "Notifications", s,
                NotificationPages.detail(v, html, problem, s.key().has(Scope.ADMIN) ? s.csrf() : null, notice), 0));
    }

    /** The stored notification drawn by the existing HTML preview (its type, data, language and country; the channel's date style). */
    private String rendered(String id) {
        Map<String, String> n = queries.renderable(id);
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.set("data", readTree(n.get("data")));
        if (n.get("language") != null && RenderOptions.LANGUAGES.contains(n.get("language"))) {
            request.put("language", n.get("language"));
        }
        if (n.get("country") != null && RenderOptions.COUNTRIES.contains(n.get("country"))) {
            request.put("country", n.get("country"));
        }
        LineChannel channel = channels.find(n.get("channel")).orElse(channels.all().iterator().next());
        // drawn as sent (the flexible-LON approval notice of the template previews is not part of a message sent)
        return templates.preview(n.get("type"), request, defaults(channel), true).path("html").asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the stored data is not JSON");
        }
    }

    private static RenderOptions defaults(LineChannel c) {
        return new RenderOptions(c.defaultLanguage(), c.country(), LinePayloads.defaultZone(c.country()), c.buddhistEra(), c.japaneseEra(), c.rocYear());
    }

    public void deadLetters(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Message m = exchange.getMessage();
        String csrf = s.key().has(Scope.ADMIN) ? s.csrf() : null;
        int page = page(m);
        NotificationFilter f;
        try {
            f = deadLetterFilter(name -> m.getHeader(name, String.class));
        } catch (DashboardInputException e) {
            html(m, 400, Html.page("Dead letters", "Dead letters", s, NotificationPages.deadLetters(NotificationFilter.from(n -> null), List.of(), 1,
                    csrf, null, e.getMessage()), 0));
            return;
        }
        String replayed = m.getHeader("replayed", String.class);
        String notice = replayed != null && replayed.matches("[0-9]{1,5}") ? replayed + " dead letters replayed: queued to be sent again." : null;
        List<Map<String, Object>> rows = queries.search(f, DashboardQueries.DEAD, (page - 1) * NotificationPages.PAGE_SIZE, NotificationPages.PAGE_SIZE + 1);
        html(m, 200, Html.page("Dead letters", "Dead letters", s, NotificationPages.deadLetters(f, rows, page, csrf, notice, null), 0));
    }

    private static NotificationFilter deadLetterFilter(java.util.function.Function<String, String> field) {
        NotificationFilter f = NotificationFilter.from(field);
        if (f.status() != null && !DashboardQueries.DEAD.contains(f.status())) {
            throw new DashboardInputException("status", "must be one of " + DashboardQueries.DEAD + " for dead letters");
        }
        return f;
    }

    /** {@code POST /notifications/{id}/replay} (after {@link #action}): the dead letter goes out again; audited. */
    public void replay(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Message m = exchange.getMessage();
        String id = m.getHeader("id", String.class);
        if (id == null || id.length() > 36 || notifications.view(id).isEmpty()) {
            throw new DashboardNotFoundException("no notification with this id");
        }
        if (!deadLetters.replay(id)) {
            throw new DashboardInputException("id", "is not a dead letter: only FAILED, EXPIRED and UNDELIVERED notifications can be replayed");
        }
        audit.record(s.key(), "notification.replay", id);
        m.removeHeaders("*");
        redirect(m, "/notifications/" + Html.url(id) + "?notice=replayed");
    }

    /** {@code POST /dead-letters/replay} (after {@link #action}): every dead letter matching the form's filter (at most BULK_MAX). */
    public void replayAll(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Map<String, String> form = form(exchange);
        NotificationFilter f = deadLetterFilter(form::get);
        int replayed = 0;
        for (Map<String, Object> row : queries.search(f, DashboardQueries.DEAD, 0, BULK_MAX)) {
            if (deadLetters.replay((String) row.get("id"))) {
                replayed++;
            }
        }
        audit.record(s.key(), "notification.replay-bulk", replayed + " replayed; filter " + f.params().entrySet().stream()
                .filter(e -> e.getValue() != null).map(e -> e.getKey() + "=" + e.getValue()).toList());
        Map<String, String> back = new java.util.LinkedHashMap<>(f.params());
        back.put("replayed", String.valueOf(replayed));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        redirect(m, "/dead-letters" + Html.query(back));
    }

    public void files(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        List<Map<String, Object>> recent = files.list(200);
        boolean reading = recent.stream().anyMatch(f -> "reading".equals(f.get("state")));
        html(exchange.getMessage(), 200, Html.page("Files", "Files", s, Pages.files(recent), reading ? 2 : 10));
    }

    /** {@code GET /files/{name}/report}: the report as far as the last checkpoint. */
    public void fileReport(Exchange exchange) throws IOException {
        session(exchange);
        Message m = exchange.getMessage();
        String name = m.getHeader("name", String.class);
        FileDrops.Report report = (name == null || name.length() > 255 ? Optional.<FileDrops.Report>empty() : files.report(name))
                .orElseThrow(() -> new DashboardNotFoundException("no report for an inbox file with this name"));
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
        m.setHeader("Content-Disposition", "attachment; filename*=UTF-8''" + Html.url(report.fileName()));
        m.setHeader("X-Content-Type-Options", "nosniff");
        try (var in = report.content()) {
            m.setBody(in.readAllBytes());
        }
    }

    public void templates(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        html(exchange.getMessage(), 200, Html.page("Templates", "Templates", s, Pages.templates(templates.catalogue(), RenderOptions.LANGUAGES), 0));
    }

    public void template(Exchange exchange) {
        DashboardSessions.Session s = session(exchange);
        Message m = exchange.getMessage();
        String type = m.getHeader("type", String.class);
        String language = m.getHeader("language", String.class);
        LineChannel channel = channels.all().iterator().next();
        ObjectNode request = Json.MAPPER.createObjectNode();
        if (language != null) {
            request.put("language", language);
        }
        if (m.getHeader("country", String.class) != null) {
            request.put("country", m.getHeader("country", String.class));
        }
        JsonNode preview;
        try {
            preview = templates.preview(type, request, defaults(channel), channel.flexibleApproved());
        } catch (InvalidNotificationDataException e) {
            throw new DashboardNotFoundException(e.getMessage());
        }
        html(m, 200, Html.page("Template " + type, "Templates", s,
                Pages.templatePreview(type, preview.path("language").asText(), RenderOptions.LANGUAGES, preview), 0));
    }

    // ------------------------------------------------------------------------------------------------ errors

    /** The dashboard routes' error handler: to the sign-in form, or a page saying what went wrong (never a stack trace). */
    public void error(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message m = exchange.getMessage();
        DashboardSessions.Session s = exchange.getProperty(SESSION, DashboardSessions.Session.class);
        m.removeHeaders("*");
        if (e instanceof SignInRequiredException) {
            redirect(m, "/signin");
            return;
        }
        int status;
        String text;
        if (e instanceof DashboardInputException i) {
            status = 400;
            text = i.getMessage();
        } else if (e instanceof DashboardNotFoundException) {
            status = 404;
            text = e.getMessage();
        } else if (e instanceof DashboardForbiddenException) {
            status = 403;
            text = e.getMessage();
        } else {
            status = 500;
            text = "the hub could not answer this page; its log says why";
            LOG.error("dashboard page failed", e);
        }
        html(m, status, Html.page("Cannot show this", null, s, "<div class=\"err\" role=\"alert\">" + Html.esc(text) + "</div><p><a href=\"/\">Overview</a></p>", 0));
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private static DashboardSessions.Session session(Exchange exchange) {
        DashboardSessions.Session s = exchange.getProperty(SESSION, DashboardSessions.Session.class);
        if (s == null) {
            throw new IllegalStateException("a dashboard page before dashboard.require in its route");
        }
        return s;
    }

    private static int page(Message m) {
        String p = m.getHeader("page", String.class);
        if (p == null || p.isBlank()) {
            return 1;
        }
        if (!p.matches("[0-9]{1,6}") || Integer.parseInt(p) < 1) {
            throw new DashboardInputException("page", "must be a whole number from 1");
        }
        return Integer.parseInt(p);
    }

    /** The form's fields (application/x-www-form-urlencoded body; at most 64 KiB). */
    static Map<String, String> form(Exchange exchange) {
        Map<String, String> out = new HashMap<>();
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            return out;
        }
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isEmpty()) {
            return out;
        }
        if (text.length() > 64 * 1024) {
            throw new DashboardInputException("form", "is larger than 64 KiB");
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw new DashboardInputException("form", "is not URL-encoded");
            }
        }
        return out;
    }

    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private static void redirect(Message m, String location) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", location);
        m.setHeader("Cache-Control", "no-store");
        m.setBody("");
    }

    private static void html(Message m, int status, String page) {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:;"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        m.setBody(page);
    }
}
