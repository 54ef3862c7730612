package io.linehub.template;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * How to render one notification.
 *
 * @param language    customer language: {@code th}, {@code en}, {@code ja} or {@code zh-TW}
 * @param country     country of the sending LINE channel: {@code JP}, {@code TH} or {@code TW}; decides
 *                    the LINE template key set for template LONs (may be null for Flex-only rendering)
 * @param zone        the customer's time zone; datetimes are converted to it
 * @param buddhistEra show Thai Buddhist-era years (2026 → 2569); applies to Thai ({@code th}) texts only
 */
public record RenderOptions(String language, String country, ZoneId zone, boolean buddhistEra) {

    public static final List<String> LANGUAGES = List.of("th", "en", "ja", "zh-TW");
    public static final List<String> COUNTRIES = List.of("JP", "TH", "TW");

    public RenderOptions {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(zone, "zone");
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("unsupported language '" + language + "' (expected one of " + LANGUAGES + ")");
        }
        if (country != null && !COUNTRIES.contains(country)) {
            throw new IllegalArgumentException("unsupported country '" + country + "' (expected one of " + COUNTRIES + ")");
        }
    }
}
