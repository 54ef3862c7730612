package io.linehub.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/** Shared fixtures of the template tests. */
final class TemplateTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CONFIG = Path.of("config/templates");
    static final Path FIXTURES = Path.of("src/test/resources/templates");
    static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer test-token", "Content-Type", "application/json");
    /** SHA-256 of "+66812345678" in lowercase hex, the shape LON requires for "to". */
    static final String HASHED_PHONE = "7fc93a279e8accbc8e77df576f2f1806df2b9cbff068711f3de71108184e6bb2";
    static final String USER_ID = "U4af4980629ad1a2d7f2b1f6f1b2c3d4e";

    private static TemplateCatalog catalog;

    private TemplateTestSupport() {
    }

    static synchronized TemplateCatalog catalog() {
        if (catalog == null) {
            catalog = TemplateCatalog.load(CONFIG);
        }
        return catalog;
    }

    static ZoneId zoneFor(String language) {
        return switch (language) {
            case "ja" -> ZoneId.of("Asia/Tokyo");
            case "zh-TW" -> ZoneId.of("Asia/Taipei");
            default -> ZoneId.of("Asia/Bangkok");
        };
    }

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String str(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
