package io.linehub.template;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Templates changed without a restart: every few seconds the watcher compares the SHA-256 of each template file
 * with what it saw last; on a change it loads the whole directory again and, if every file passes the load checks,
 * replaces the catalogue's templates at once. A broken change is refused: the last good set stays in use and
 * {@link #lastFailure()} says why ({@code "<file>: field '<field>': <reason>"}), for the log, health and the API.
 *
 * <p>Polling rather than a {@code WatchService}: it also sees changes on bind mounts and network file systems where
 * file events do not arrive, needs no extra dependency, and reading 22 small files every few seconds costs nothing.
 */
public final class TemplateWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateWatcher.class);

    private final Path dir;
    private final TemplateCatalog catalog;
    private final ScheduledExecutorService timer;
    private volatile Map<String, String> seen;
    private volatile String lastFailure;
    private volatile Instant lastReload;

    /** @param catalog the catalogue loaded from {@code dir} at start (the first good set) */
    public TemplateWatcher(Path dir, TemplateCatalog catalog) {
        this.dir = dir;
        this.catalog = catalog;
        this.seen = fingerprint();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "template-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks every {@code seconds} seconds (from now on). */
    public TemplateWatcher start(long seconds) {
        timer.scheduleWithFixedDelay(this::checkSafely, seconds, seconds, TimeUnit.SECONDS);
        return this;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("template check failed: {}", e.toString());
        }
    }

    /**
     * One check: reloads when a file was added, changed or removed since the last check.
     *
     * @return true when the templates were replaced
     */
    public synchronized boolean check() {
        Map<String, String> now = fingerprint();
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        try {
            TemplateCatalog fresh = TemplateCatalog.load(dir);
            catalog.replaceWith(fresh);
            lastFailure = null;
            lastReload = Instant.now();
            LOG.info("templates reloaded from {}: {} types", dir, fresh.all().size());
            return true;
        } catch (TemplateDefinitionException e) {
            lastFailure = e.getMessage();
            LOG.warn("templates: last reload failed, keeping the last good templates: {}", e.getMessage());
            return false;
        }
    }

    /** Why the last reload was refused ({@code "<file>: field '<field>': <reason>"}), or null when it succeeded (or none was needed). */
    public String lastFailure() {
        return lastFailure;
    }

    /** When the templates were last replaced, or null. */
    public Instant lastReload() {
        return lastReload;
    }

    /** File name → SHA-256 of its content, for every *.yaml / *.yml file. */
    private Map<String, String> fingerprint() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).toList()) {
                try {
                    out.put(p.getFileName().toString(), TemplateLoader.sha256(Files.readAllBytes(p)));
                } catch (IOException e) {
                    out.put(p.getFileName().toString(), "unreadable: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            out.put("", "cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
