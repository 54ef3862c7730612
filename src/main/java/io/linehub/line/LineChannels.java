package io.linehub.line;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured LINE channels by name. */
public final class LineChannels {

    private final Map<String, LineChannel> byName = new LinkedHashMap<>();

    public LineChannels(Collection<LineChannel> channels) {
        channels.forEach(c -> byName.put(c.name(), c));
    }

    public Optional<LineChannel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public LineChannel get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no LINE channel named '" + name + "' is configured"));
    }

    public Collection<LineChannel> all() {
        return byName.values();
    }
}
