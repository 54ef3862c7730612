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
 * @param japaneseEra show Japanese-era years (和暦: 2026 → 令和8年) in Japanese ({@code ja}) texts
 * @param rocYear     show Republic of China years (民國: 2026 → 民國115年) in Taiwanese ({@code zh-TW}) texts
 * @param lonKeys     the sending channel's own LON template keys by notification type (its channels-file
 *                    {@code templateKeys}), used instead of the template's for {@code country}; empty: none
 */
public record RenderOptions(String language, String country, ZoneId zone, boolean buddhistEra, boolean japaneseEra, boolean rocYear,
                            java.util.Map<String, LonMapping> lonKeys) {

    public RenderOptions(String language, String country, ZoneId zone, boolean buddhistEra, boolean japaneseEra, boolean rocYear) {
        this(language, country, zone, buddhistEra, japaneseEra, rocYear, java.util.Map.of());
    }

    public RenderOptions(String language, String country, ZoneId zone, boolean buddhistEra) {
        this(language, country, zone, buddhistEra, false, false);
    }

    public static final List<String> LANGUAGES = List.of("th", "en", "ja", "zh-TW");
    public static final List<String> COUNTRIES = List.of("JP", "TH", "TW");

    /** Buddhist-era years as set ("true"/"false"), or by default on for a Thai channel. */
    public static boolean defaultBuddhistEra(String setting, String country) {
        return setting == null || setting.isBlank() ? "TH".equals(country) : Boolean.parseBoolean(setting.trim());
    }

    public RenderOptions {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(zone, "zone");
        lonKeys = lonKeys == null ? java.util.Map.of() : java.util.Map.copyOf(lonKeys);
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("unsupported language '" + language + "' (expected one of " + LANGUAGES + ")");
        }
        if (country != null && !COUNTRIES.contains(country)) {
            throw new IllegalArgumentException("unsupported country '" + country + "' (expected one of " + COUNTRIES + ")");
        }
    }
}
