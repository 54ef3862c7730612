package io.linehub.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * All notification templates of the hub, loaded from the YAML files of one directory (config/templates/). A
 * {@link TemplateWatcher} may {@link #replaceWith replace} the whole set while the hub runs (a reload is all or
 * nothing: a broken file keeps the last good set).
 */
public final class TemplateCatalog {

    private volatile Map<String, NotificationTemplate> templates;

    private TemplateCatalog(Map<String, NotificationTemplate> templates) {
        this.templates = templates;
    }

    /**
     * Loads every {@code *.yaml} / {@code *.yml} file of a directory.
     *
     * @throws TemplateDefinitionException for the first broken file; the message names the file, the field and the reason
     */
    public static TemplateCatalog load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TemplateDefinitionException(dir.toString(), "-", "template directory does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new TemplateDefinitionException(dir.toString(), "-", "cannot list the template directory: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new TemplateDefinitionException(dir.toString(), "-", "no template files (*.yaml) in the directory");
        }
        Map<String, NotificationTemplate> map = new LinkedHashMap<>();
        for (Path p : files) {
            NotificationTemplate t = TemplateLoader.load(p);
            NotificationTemplate before = map.put(t.type(), t);
            if (before != null) {
                throw new TemplateDefinitionException(t.file(), "type", "type " + t.type() + " is also defined in " + before.file());
            }
        }
        return new TemplateCatalog(map);
    }

    /** Takes over the templates of a freshly loaded (hence valid) catalogue, all at once. */
    public void replaceWith(TemplateCatalog fresh) {
        this.templates = fresh.templates;
    }

    public Optional<NotificationTemplate> find(String type) {
        return Optional.ofNullable(type == null ? null : templates.get(type));
    }

    /** All templates sorted by type. */
    public List<NotificationTemplate> all() {
        return templates.values().stream().sorted(Comparator.comparing(NotificationTemplate::type)).toList();
    }

    /**
     * Start-up report of every (type, country) pair without a LINE template key, e.g.
     * {@code "no LINE template key configured for payment_reminder in TH"}. A gap is not an error: those
     * types can still be sent as Flex (flexible LON, push, multicast, broadcast), only not as template LON.
     */
    public List<String> missingLonKeys() {
        List<String> out = new ArrayList<>();
        for (NotificationTemplate t : all()) {
            for (String country : RenderOptions.COUNTRIES) {
                if (t.lon(country).map(LonMapping::configured).orElse(false)) {
                    continue;
                }
                out.add(MissingTemplateKeyException.message(t.type(), country));
            }
        }
        return out;
    }
}
