package io.linehub.dashboard;

import java.util.List;
import java.util.Map;

import static io.linehub.dashboard.Html.esc;
import static io.linehub.dashboard.Html.url;

/** The notifications search, a notification's timeline and the dead letters (bodies). Every value is escaped. */
final class NotificationPages {

    static final int PAGE_SIZE = 50;

    private NotificationPages() {
    }

    private static String field(String label, String name, String value, String type) {
        return "<label>" + esc(label) + "<input name=\"" + name + "\" type=\"" + type + "\" value=\"" + esc(value) + "\"></label>";
    }

    private static String statusSelect(String current, List<String> statuses) {
        StringBuilder h = new StringBuilder("<label>Status<select name=\"status\"><option value=\"\">any</option>");
        for (String s : statuses) {
            h.append("<option").append(s.equals(current) ? " selected" : "").append('>').append(esc(s)).append("</option>");
        }
        return h.append("</select></label>").toString();
    }

    private static String filterFields(NotificationFilter f, List<String> statuses, boolean withId) {
        return (withId ? field("Notification id", "id", f.id(), "search") : "") + field("Customer id", "customerId", f.customerId(), "search")
                + field("Type", "type", f.type(), "search") + statusSelect(f.status(), statuses) + field("Channel", "channel", f.channel(), "search")
                + field("From (UTC)", "from", f.fromText(), "search") + field("To (UTC)", "to", f.toText(), "search");
    }

    static String search(NotificationFilter f, List<Map<String, Object>> rows, int page, String error) {
        StringBuilder h = new StringBuilder();
        if (error != null) {
            h.append("<div class=\"err\" role=\"alert\">").append(esc(error)).append("</div>");
        }
        h.append("<form class=\"filters\" method=\"get\" action=\"/notifications\" role=\"search\">")
                .append(filterFields(f, new java.util.TreeSet<>(NotificationFilter.STATUSES).stream().toList(), true))
                .append("<button type=\"submit\">Search</button></form>");
        h.append(table(rows.subList(0, Math.min(rows.size(), PAGE_SIZE)), null, null));
        h.append(pager("/notifications", f, page, rows.size() > PAGE_SIZE));
        return h.toString();
    }

    private static String pager(String path, NotificationFilter f, int page, boolean more) {
        StringBuilder h = new StringBuilder("<nav class=\"pages\" aria-label=\"Result pages\">");
        Map<String, String> p = new java.util.LinkedHashMap<>(f.params());
        if (page > 1) {
            p.put("page", String.valueOf(page - 1));
            h.append("<a rel=\"prev\" href=\"").append(path).append(esc(Html.query(p))).append("\">Newer</a>");
        }
        h.append("<span>Page ").append(page).append("</span>");
        if (more) {
            p.put("page", String.valueOf(page + 1));
            h.append("<a rel=\"next\" href=\"").append(path).append(esc(Html.query(p))).append("\">Older</a>");
        }
        return h.append("</nav>").toString();
    }

    /** The rows; with a CSRF token (an admin's session) each gets a replay button. */
    private static String table(List<Map<String, Object>> rows, String csrf, NotificationFilter back) {
        if (rows.isEmpty()) {
            return "<p class=\"muted\">No notification matches.</p>";
        }
        StringBuilder h = new StringBuilder("<table><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Type</th><th scope=\"col\">Status</th>"
                + "<th scope=\"col\">Channel</th><th scope=\"col\">Customer</th><th scope=\"col\">Recipient</th><th scope=\"col\">Attempts</th>"
                + "<th scope=\"col\">Created</th><th scope=\"col\">Last error</th>" + (csrf == null ? "" : "<th scope=\"col\">Action</th>") + "</tr></thead><tbody>");
        for (Map<String, Object> r : rows) {
            h.append("<tr><td class=\"mono\"><a href=\"/notifications/").append(url(r.get("id"))).append("\">").append(esc(r.get("id")))
                    .append("</a></td><td>").append(esc(r.get("type"))).append("</td><td class=\"status\">").append(esc(r.get("status")))
                    .append("</td><td>").append(esc(r.get("channel"))).append(" · ").append(esc(r.get("lineOperation"))).append("</td><td>")
                    .append(esc(r.get("customerId"))).append("</td><td class=\"mono\">").append(esc(r.get("recipient"))).append("</td><td class=\"num\">")
                    .append(esc(r.get("attempts"))).append("</td><td>").append(esc(r.get("createdAt"))).append("</td><td>")
                    .append(esc(r.get("lastError"))).append("</td>");
            if (csrf != null) {
                h.append("<td><form method=\"post\" action=\"/notifications/").append(url(r.get("id"))).append("/replay\">")
                        .append(Html.hiddenCsrf(csrf)).append("<button type=\"submit\">Replay</button></form></td>");
            }
            h.append("</tr>");
        }
        return h.append("</tbody></table>").toString();
    }

    /** A notification: its fields, timeline (history and attempts with LINE's answers) and the message as the customer saw it. */
    static String detail(Map<String, Object> v, String renderedHtml, String renderProblem, String csrf, String notice) {
        StringBuilder h = new StringBuilder();
        if (notice != null) {
            h.append("<div class=\"ok\" role=\"status\">").append(esc(notice)).append("</div>");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> recipient = (Map<String, Object>) v.get("recipient");
        h.append("<table class=\"facts\"><tbody>");
        row(h, "Id", v.get("id"));
        row(h, "Status", v.get("status"));
        row(h, "Type", v.get("type"));
        row(h, "Channel", v.get("channel") + " · " + v.get("lineOperation"));
        row(h, "Channel decision", v.get("channelDecision"));
        row(h, "Customer", recipient.get("customerId"));
        row(h, "Recipient", recipient.get("phone"));
        row(h, "Country · language", recipient.get("country") + " · " + recipient.get("language"));
        row(h, "Created", v.get("createdAt"));
        row(h, "Sent", v.get("sentAt"));
        row(h, "Delivered", v.get("deliveredAt"));
        row(h, "Expires", v.get("expiresAt"));
        row(h, "Last error", v.get("lastError"));
        h.append("</tbody></table>");
        if (csrf != null && DashboardQueries.DEAD.contains(String.valueOf(v.get("status")))) {
            h.append("<form method=\"post\" action=\"/notifications/").append(url(v.get("id"))).append("/replay\">").append(Html.hiddenCsrf(csrf))
                    .append("<button type=\"submit\">Replay this notification</button></form>");
        }
        h.append("<h2>Timeline</h2><table class=\"history\"><thead><tr><th scope=\"col\">At</th><th scope=\"col\">Status</th>")
                .append("<th scope=\"col\">Reason</th></tr></thead><tbody>");
        for (Object o : (List<?>) v.get("history")) {
            Map<?, ?> e = (Map<?, ?>) o;
            h.append("<tr><td>").append(esc(e.get("at"))).append("</td><td>").append(esc(e.get("status"))).append("</td><td>")
                    .append(esc(e.get("reason"))).append("</td></tr>");
        }
        h.append("</tbody></table><h2>Attempts</h2>");
        List<?> attempts = (List<?>) v.get("attempts");
        if (attempts.isEmpty()) {
            h.append("<p class=\"muted\">Not sent to LINE yet.</p>");
        } else {
            h.append("<table class=\"attempts\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Started</th><th scope=\"col\">Finished</th>")
                    .append("<th scope=\"col\">LINE's answer</th><th scope=\"col\">Outcome</th><th scope=\"col\">LINE request id</th>")
                    .append("<th scope=\"col\">Error</th></tr></thead><tbody>");
            for (Object o : attempts) {
                Map<?, ?> a = (Map<?, ?>) o;
                h.append("<tr><td>").append(esc(a.get("attempt"))).append("</td><td>").append(esc(a.get("startedAt"))).append("</td><td>")
                        .append(esc(a.get("finishedAt"))).append("</td><td>").append(a.get("httpStatus") == null ? "no answer" : "HTTP " + esc(a.get("httpStatus")))
                        .append("</td><td>").append(esc(a.get("outcome"))).append("</td><td class=\"mono\">").append(esc(a.get("lineRequestId")))
                        .append("</td><td>").append(esc(a.get("error"))).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("<h2>Message</h2>");
        if (renderedHtml != null) {
            h.append(Pages.preview(renderedHtml, "The message as the customer saw it"));
        } else {
            h.append("<p class=\"muted\">").append(esc(renderProblem)).append("</p>");
        }
        return h.toString();
    }

    private static void row(StringBuilder h, String label, Object value) {
        h.append("<tr><th scope=\"row\">").append(esc(label)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    static String deadLetters(NotificationFilter f, List<Map<String, Object>> rows, int page, String csrf, String notice, String error) {
        StringBuilder h = new StringBuilder();
        if (notice != null) {
            h.append("<div class=\"ok\" role=\"status\">").append(esc(notice)).append("</div>");
        }
        if (error != null) {
            h.append("<div class=\"err\" role=\"alert\">").append(esc(error)).append("</div>");
        }
        h.append("<p>Notifications that will not be sent by themselves: FAILED, EXPIRED and UNDELIVERED. Replay one after fixing its cause.</p>")
                .append("<form class=\"filters\" method=\"get\" action=\"/dead-letters\" role=\"search\">")
                .append(filterFields(f, DashboardQueries.DEAD, false)).append("<button type=\"submit\">Filter</button></form>");
        h.append(table(rows.subList(0, Math.min(rows.size(), PAGE_SIZE)), csrf, f));
        h.append(pager("/dead-letters", f, page, rows.size() > PAGE_SIZE));
        if (csrf != null && !rows.isEmpty()) {
            h.append("<form method=\"post\" action=\"/dead-letters/replay\">").append(Html.hiddenCsrf(csrf));
            f.params().forEach((k, val) -> {
                if (val != null && !k.equals("id")) {
                    h.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"").append(esc(val)).append("\">");
                }
            });
            h.append("<button type=\"submit\">Replay every dead letter matching this filter (at most ")
                    .append(Dashboard.BULK_MAX).append(")</button></form>");
        } else if (csrf == null) {
            h.append("<p class=\"muted\">Replay needs an API key with the scope admin.</p>");
        }
        return h.toString();
    }
}
