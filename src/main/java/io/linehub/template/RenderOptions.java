package io.linehub.template;

public record RenderOptions(String language, String country, java.time.ZoneId zone, boolean buddhistEra) {
}
