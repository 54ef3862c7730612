package io.linehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linehub.json.Json;
import io.linehub.template.InvalidNotificationDataException;
import io.linehub.template.LinePayloads;
import io.linehub.template.RenderOptions;
import io.linehub.template.TemplateCatalog;
import io.linehub.template.TemplateDefinitionException;
import io.linehub.template.TemplatePreview;
import io.linehub.template.TemplateRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar line-notification-hub.jar preview <type> [data.json] [--language th] [--country JP]
 * [--time-zone Asia/Bangkok] [--buddhist-era] [--html file.html]}: prints the same JSON as
 * {@code POST /api/templates/{type}/preview}, without starting the hub.
 */
public final class PreviewCommand {

    static final String USAGE = "usage: preview <type> [data.json] [--language th|en|ja|zh-TW] [--country JP|TH|TW]"
            + " [--time-zone ZONE] [--buddhist-era] [--html out.html]";

    private PreviewCommand() {
    }

    /** @return the process exit code */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args[0].startsWith("--")) {
            err.println(USAGE);
            return 2;
        }
        String type = args[0];
        ObjectNode request = Json.MAPPER.createObjectNode();
        Path html = null;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--language" -> request.put("language", args[++i]);
                    case "--country" -> request.put("country", args[++i]);
                    case "--time-zone" -> request.put("timeZone", args[++i]);
                    case "--buddhist-era" -> request.put("buddhistEra", true);
                    case "--japanese-era" -> request.put("japaneseEra", true);
                    case "--roc-year" -> request.put("rocYear", true);
                    case "--html" -> html = Path.of(args[++i]);
                    default -> {
                        if (args[i].startsWith("--") || request.has("data")) {
                            err.println(USAGE);
                            return 2;
                        }
                        request.set("data", Json.MAPPER.readTree(Files.readString(Path.of(args[i]))));
                    }
                }
            }
            String dir = env("HUB_TEMPLATES_DIR", "config/templates");
            String country = env("LINE_CHANNEL_COUNTRY", "JP");
            RenderOptions defaults = new RenderOptions(env("LINE_CHANNEL_LANGUAGE", "en"), country, LinePayloads.defaultZone(country),
                    io.linehub.template.RenderOptions.defaultBuddhistEra(env("LINE_CHANNEL_BUDDHIST_ERA", ""), country),
                    Boolean.parseBoolean(env("LINE_CHANNEL_JAPANESE_ERA", "false")), Boolean.parseBoolean(env("LINE_CHANNEL_ROC_YEAR", "false")));
            TemplateCatalog catalog = TemplateCatalog.load(Path.of(dir));
            JsonNode preview = new TemplatePreview(catalog, new LinePayloads(new TemplateRenderer(catalog))).preview(type, request, defaults,
                    Boolean.parseBoolean(env("LINE_CHANNEL_FLEXIBLE_APPROVED", "false")));
            if (html != null) {
                Files.writeString(html, preview.path("html").asText());
            }
            out.println(Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(preview));
            return 0;
        } catch (ArrayIndexOutOfBoundsException e) {
            err.println(USAGE);
            return 2;
        } catch (InvalidNotificationDataException e) {
            err.println(e.field() + ": " + e.reason());
            return 1;
        } catch (TemplateDefinitionException | IOException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
