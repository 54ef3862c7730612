package io.linehub.api;

import io.linehub.inbox.FileDrops;
import io.linehub.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/files}, {@code GET /api/files/{name}} and {@code GET /api/files/{name}/report}: the progress of file drops. */
public class FilesApi {

    private final FileDrops files;

    public FilesApi(FileDrops files) {
        this.files = files;
    }

    public void list(Exchange exchange) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> f : files.list(NotificationQueries.limit(exchange.getMessage().getHeader("limit")))) {
            out.add(shown(f));
        }
        respond(exchange.getMessage(), Json.write(Map.of("files", out)));
    }

    public void get(Exchange exchange) {
        String name = name(exchange);
        Map<String, Object> f = files.find(name).orElseThrow(() -> new NotFoundException("no inbox file with this name"));
        respond(exchange.getMessage(), Json.write(shown(f)));
    }

    /** The report as far as the last checkpoint (its lines are final), as a CSV download. */
    public void report(Exchange exchange) throws IOException {
        String name = name(exchange);
        FileDrops.Report report = files.report(name).orElseThrow(() -> new NotFoundException("no report for an inbox file with this name"));
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
        m.setHeader("Content-Disposition", "attachment; filename*=UTF-8''" + URLEncoder.encode(report.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
        m.setBody(report.content().readAllBytes());
        report.content().close();
    }

    /** The path to a file's report, for links. */
    public static String reportPath(String name) {
        return "/api/files/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/report";
    }

    private static String name(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new NotFoundException("no inbox file with this name");
        }
        return name;
    }

    private static Map<String, Object> shown(Map<String, Object> f) {
        Map<String, Object> v = new LinkedHashMap<>(f);
        v.remove("reportBytes");
        v.remove("reportName");
        v.put("report", f.get("reportName") == null ? null : reportPath((String) f.get("name")));
        return v;
    }

    private static void respond(Message m, String json) {
        m.removeHeaders("*");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        m.setBody(json);
    }
}
