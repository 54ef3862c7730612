package io.linehub.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's HTML: every value written into a page goes through {@link #esc} (text and attribute values alike),
 * the one layout (navigation, style, UTF-8, fonts for Thai, Japanese and Chinese), forms carrying the CSRF token.
 * No script: links, forms and a refresh while files are read.
 */
final class Html {

    private Html() {
    }

    /** Text or a quoted attribute value, escaped: {@code & < > " '}. Null is written as an empty string. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A value for a URL's query or path segment. */
    static String url(Object value) {
        return value == null ? "" : URLEncoder.encode(value.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string of the non-empty parameters, starting with ?, or "" when there are none. */
    static String query(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                b.append(b.length() == 0 ? '?' : '&').append(url(k)).append('=').append(url(v));
            }
        });
        return b.toString();
    }

    static String hiddenCsrf(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    private static final String STYLE = "*{box-sizing:border-box}body{margin:0;font:15px/1.5 'Noto Sans','Noto Sans Thai','Noto Sans CJK JP',"
            + "'Noto Sans CJK TC',system-ui,sans-serif;color:#1b1b1b;background:#f5f6f8}"
            + "header{background:#06C755;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}"
            + "header a{color:#fff;text-decoration:none;padding:4px 8px;border-radius:4px}header a[aria-current]{background:#04913e}"
            + "header a:focus,a:focus,button:focus,input:focus,select:focus{outline:3px solid #ffbf47;outline-offset:1px}"
            + "header .who{margin-left:auto;font-size:13px}header form{display:inline}"
            + "main{padding:16px;max-width:1200px;margin:auto}h1{font-size:22px;margin:8px 0 16px}h2{font-size:18px;margin:24px 0 8px}"
            + "table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}th,td{text-align:left;padding:6px 8px;"
            + "border-bottom:1px solid #e3e3e3;vertical-align:top}th{background:#eef0f3;font-weight:600}td.num{text-align:right}"
            + ".cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:180px;"
            + "box-shadow:0 1px 2px rgba(0,0,0,.1)}.card b{display:block;font-size:24px}"
            + "progress{width:220px;height:16px}.bar{display:flex;gap:8px;align-items:center}"
            + "form.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:end;background:#fff;padding:12px;margin-bottom:12px}"
            + "label{display:flex;flex-direction:column;font-size:13px}input,select,button{font:inherit;padding:4px 6px}"
            + "button{background:#06C755;color:#fff;border:0;border-radius:4px;padding:6px 12px;cursor:pointer}"
            + "button.secondary{background:#5f6b7a}.err{background:#fde8e8;border:1px solid #e0a0a0;padding:8px 12px;margin-bottom:12px}"
            + ".ok{background:#e6f6ea;border:1px solid #9bd3a8;padding:8px 12px;margin-bottom:12px}"
            + "iframe{width:100%;max-width:420px;height:560px;border:1px solid #ccc;background:#8CABD9}"
            + ".mono{font-family:monospace;font-size:13px}.muted{color:#666}nav.pages{display:flex;gap:12px;margin:8px 0}";

    /** The page around {@code body}: {@code current} is the navigation entry to mark; refresh in seconds, 0 for none. */
    static String page(String title, String current, DashboardSessions.Session session, String body, int refreshSeconds) {
        StringBuilder h = new StringBuilder(body.length() + 3000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
        }
        h.append("<title>").append(esc(title)).append(" · LINE Notification Hub</title><style>").append(STYLE).append("</style></head><body>\n");
        h.append("<header><strong>LINE Notification Hub</strong>");
        if (session != null) {
            h.append("<nav aria-label=\"Pages\">");
            for (String[] item : new String[][]{{"/", "Overview"}, {"/notifications", "Notifications"}, {"/dead-letters", "Dead letters"},
                    {"/files", "Files"}, {"/templates", "Templates"}}) {
                h.append("<a href=\"").append(item[0]).append('"').append(item[1].equals(current) ? " aria-current=\"page\"" : "").append('>')
                        .append(item[1]).append("</a>");
            }
            h.append("</nav><span class=\"who\">").append(esc(session.key().name())).append(" (")
                    .append(esc(String.join(", ", session.key().scopes().stream().map(s -> s.word()).sorted().toList()))).append(") ")
                    .append("<form method=\"post\" action=\"/signout\">").append(hiddenCsrf(session.csrf()))
                    .append("<button class=\"secondary\" type=\"submit\">Sign out</button></form></span>");
        }
        h.append("</header>\n<main>\n<h1>").append(esc(title)).append("</h1>\n").append(body).append("\n</main></body></html>\n");
        return h.toString();
    }
}
