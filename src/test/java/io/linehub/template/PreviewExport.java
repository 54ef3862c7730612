package io.linehub.template;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * Writes the HTML preview of every template, with its sample data, in each language:
 * {@code <out>/<type>.<language>.html}. Used by scripts/template-screenshots.sh.
 *
 * <p>Usage: {@code PreviewExport [outDir] [templateDir]} (defaults target/template-previews, config/templates).
 * The preview uses the country whose customers usually read that language (th→TH, ja→JP, zh-TW→TW, en→JP so that
 * the English preview also shows a template LON where one is configured).
 */
public final class PreviewExport {

    private PreviewExport() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/template-previews");
        Path dir = Path.of(args.length > 1 ? args[1] : "config/templates");
        TemplateCatalog catalog = TemplateCatalog.load(dir);
        TemplateRenderer renderer = new TemplateRenderer(catalog);
        Files.createDirectories(out);
        int n = 0;
        for (NotificationTemplate t : catalog.all()) {
            for (String lang : RenderOptions.LANGUAGES) {
                RenderOptions o = switch (lang) {
                    case "th" -> new RenderOptions("th", "TH", ZoneId.of("Asia/Bangkok"), true);
                    case "ja" -> new RenderOptions("ja", "JP", ZoneId.of("Asia/Tokyo"), false);
                    case "zh-TW" -> new RenderOptions("zh-TW", "TW", ZoneId.of("Asia/Taipei"), false);
                    default -> new RenderOptions("en", "JP", ZoneId.of("Asia/Bangkok"), false);
                };
                ObjectNode data = t.sample(lang);
                Files.writeString(out.resolve(t.type() + "." + lang + ".html"), renderer.renderHtmlPreview(t.type(), data, o));
                n++;
            }
        }
        System.out.println("wrote " + n + " previews to " + out.toAbsolutePath());
        List<String> gaps = catalog.missingLonKeys();
        System.out.println(gaps.size() + " (type, country) pairs without a LINE template key (sent as Flex only)");
    }
}
