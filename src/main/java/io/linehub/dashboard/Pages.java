package io.linehub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.linehub.dashboard.Html.esc;
import static io.linehub.dashboard.Html.url;

/** The overview, files and templates pages (bodies; {@link Html#page} lays them out). Every value is escaped. */
final class Pages {

    private Pages() {
    }

    /** One channel's line of the overview. */
    record ChannelLine(String name, String country, int budgetPerSecond, Map<String, Long> counts, String quota, Map<String, Object> pause) {
    }

    static String overview(List<ChannelLine> channels, List<Map<String, Object>> files) {
        StringBuilder h = new StringBuilder();
        long waiting = 0;
        long delivered = 0;
        long failed = 0;
        for (ChannelLine c : channels) {
            for (String s : DashboardQueries.WAITING) {
                waiting += c.counts().getOrDefault(s, 0L);
            }
            delivered += c.counts().getOrDefault("deliveredLastHour", 0L);
            failed += c.counts().getOrDefault("failedLastHour", 0L);
        }
        h.append("<div class=\"cards\">")
                .append(card("Queue depth", waiting, "waiting to be sent"))
                .append(card("Delivered", delivered, "in the last hour"))
                .append(card("Failed", failed, "in the last hour (dead letters)"))
                .append(card("Paused channels", channels.stream().filter(c -> c.pause() != null).count(), "may not send now"))
                .append("</div>\n<h2>Channels</h2><table><thead><tr><th scope=\"col\">Channel</th><th scope=\"col\">Country</th>")
                .append("<th scope=\"col\">Send rate (last minute)</th><th scope=\"col\">Budget</th><th scope=\"col\">Queue</th>")
                .append("<th scope=\"col\">Delivered / sent, last hour</th><th scope=\"col\">Failed, last hour</th><th scope=\"col\">Quota</th>")
                .append("<th scope=\"col\">Paused</th></tr></thead><tbody>");
        for (ChannelLine c : channels) {
            double rate = c.counts().getOrDefault("sentLastMinute", 0L) / 60.0;
            StringBuilder queue = new StringBuilder();
            for (String s : DashboardQueries.WAITING) {
                long n = c.counts().getOrDefault(s, 0L);
                if (n > 0) {
                    queue.append(queue.length() == 0 ? "" : ", ").append(esc(s)).append(' ').append(n);
                }
            }
            h.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(esc(c.country())).append("</td><td class=\"num\">")
                    .append(String.format("%.1f/s", rate)).append("</td><td><div class=\"bar\"><progress max=\"").append(c.budgetPerSecond())
                    .append("\" value=\"").append(String.format(java.util.Locale.ROOT, "%.1f", Math.min(rate, c.budgetPerSecond())))
                    .append("\" aria-label=\"send rate of ").append(esc(c.name())).append(" against its budget\"></progress>")
                    .append(c.budgetPerSecond()).append("/s</div></td><td>").append(queue.length() == 0 ? "0" : queue).append("</td><td class=\"num\">")
                    .append(c.counts().getOrDefault("deliveredLastHour", 0L)).append(" / ").append(c.counts().getOrDefault("sentLastHour", 0L))
                    .append("</td><td class=\"num\">").append(c.counts().getOrDefault("failedLastHour", 0L)).append("</td><td>").append(esc(c.quota()))
                    .append("</td><td>").append(c.pause() == null ? "no" : "until " + esc(c.pause().get("pausedUntil")) + ": " + esc(c.pause().get("reason")))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>\n<h2>Files in progress</h2>");
        List<Map<String, Object>> reading = files.stream().filter(f -> "reading".equals(f.get("state"))).toList();
        if (reading.isEmpty()) {
            h.append("<p class=\"muted\">No file is being read. <a href=\"/files\">Recent files</a></p>");
        } else {
            h.append(fileTable(reading));
        }
        return h.toString();
    }

    private static String card(String title, long value, String note) {
        return "<div class=\"card\">" + esc(title) + "<b>" + value + "</b><span class=\"muted\">" + esc(note) + "</span></div>";
    }

    static String files(List<Map<String, Object>> files) {
        if (files.isEmpty()) {
            return "<p class=\"muted\">No file was dropped in the inbox recently.</p>";
        }
        return fileTable(files);
    }

    private static String fileTable(List<Map<String, Object>> files) {
        StringBuilder h = new StringBuilder("<table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">State</th><th scope=\"col\">Progress</th>"
                + "<th scope=\"col\">Rows read</th><th scope=\"col\">Accepted</th><th scope=\"col\">Refused</th><th scope=\"col\">Rate</th>"
                + "<th scope=\"col\">Time left</th><th scope=\"col\">Started</th><th scope=\"col\">Finished</th><th scope=\"col\">Report</th></tr></thead><tbody>");
        for (Map<String, Object> f : files) {
            Object progress = f.get("progress");
            String percent = progress == null ? "?" : String.format(java.util.Locale.ROOT, "%.0f%%", ((Number) progress).doubleValue() * 100);
            h.append("<tr data-file=\"").append(esc(f.get("name"))).append("\"><td>").append(esc(f.get("name"))).append("</td><td>")
                    .append(esc(f.get("state"))).append(f.get("error") == null ? "" : "<br><span class=\"muted\">" + esc(f.get("error")) + "</span>")
                    .append("</td><td><div class=\"bar\"><progress max=\"1\" value=\"").append(progress == null ? "0" : esc(progress))
                    .append("\" aria-label=\"progress of ").append(esc(f.get("name"))).append("\"></progress><span class=\"percent\">")
                    .append(percent).append("</span></div></td><td class=\"num rows-read\">").append(esc(f.get("rowsRead")))
                    .append(f.get("totalRows") == null ? "" : " of " + esc(f.get("totalRows"))).append("</td><td class=\"num\">")
                    .append(esc(f.get("accepted"))).append("</td><td class=\"num\">").append(esc(f.get("rejected"))).append("</td><td class=\"num\">")
                    .append(f.get("rowsPerSecond") == null ? "" : esc(f.get("rowsPerSecond")) + " rows/s").append("</td><td class=\"num\">")
                    .append(f.get("estimatedSecondsLeft") == null ? "" : esc(f.get("estimatedSecondsLeft")) + " s").append("</td><td>")
                    .append(esc(f.get("startedAt"))).append("</td><td>").append(esc(f.get("finishedAt"))).append("</td><td>")
                    .append(f.get("reportName") == null ? "" : "<a href=\"/files/" + url(f.get("name")) + "/report\">download</a>")
                    .append("</td></tr>");
        }
        return h.append("</tbody></table>").toString();
    }

    static String templates(JsonNode catalogue, List<String> languages) {
        StringBuilder h = new StringBuilder("<p>Every notification type in every language: open a preview. The LINE template key each country's"
                + " LON template uses is shown; an empty cell means the type cannot go as a LON template to that country.</p>");
        h.append("<table><thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Description</th><th scope=\"col\">Preview</th>");
        List<String> countries = new java.util.ArrayList<>();
        catalogue.path(0).path("lonTemplateKeys").fieldNames().forEachRemaining(countries::add);
        for (String c : countries) {
            h.append("<th scope=\"col\">LON key ").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (JsonNode t : catalogue) {
            String type = t.path("type").asText();
            h.append("<tr><td class=\"mono\">").append(esc(type)).append("</td><td>").append(esc(t.path("description").asText())).append("</td><td>");
            for (String lang : languages) {
                h.append("<a href=\"/templates/").append(url(type)).append("?language=").append(url(lang)).append("\" lang=\"").append(esc(lang))
                        .append("\">").append(esc(lang)).append("</a> ");
            }
            h.append("</td>");
            for (String c : countries) {
                JsonNode key = t.path("lonTemplateKeys").path(c);
                h.append("<td class=\"mono\">").append(key.isNull() || key.isMissingNode() ? "<span class=\"muted\">–</span>" : esc(key.asText())).append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</tbody></table>").toString();
    }

    static String templatePreview(String type, String language, List<String> languages, JsonNode preview) {
        StringBuilder h = new StringBuilder("<nav class=\"pages\" aria-label=\"Languages\"><a href=\"/templates\">All templates</a>");
        for (String lang : languages) {
            h.append("<a href=\"/templates/").append(url(type)).append("?language=").append(url(lang)).append('"')
                    .append(lang.equals(language) ? " aria-current=\"page\"" : "").append(">").append(esc(lang)).append("</a>");
        }
        h.append("</nav>");
        JsonNode template = preview.path("payloads").path("template");
        h.append("<p>Country ").append(esc(preview.path("country").asText())).append(", LON template key: <span class=\"mono\">")
                .append(template.has("error") ? esc(template.path("error").asText()) : esc(template.path("templateKey").asText()))
                .append("</span></p>");
        h.append(preview(preview.path("html").asText(), "Preview of " + type + " in " + language));
        return h.toString();
    }

    /** The existing HTML preview (a whole page) in a sandboxed frame: no script, no navigation, no access to this page. */
    static String preview(String html, String title) {
        return "<iframe sandbox title=\"" + esc(title) + "\" srcdoc=\"" + esc(html) + "\"></iframe>";
    }
}
