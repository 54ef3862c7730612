package io.linehub;

import io.linehub.template.TemplateWatcher;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * {@code /observe/health}: the templates in use. A refused reload is reported as degraded, not DOWN — the hub goes
 * on with the last good templates — as UP with the message {@code templates: last reload failed: <file>: <reason>}.
 */
final class TemplatesHealthCheck extends AbstractHealthCheck {

    private final TemplateWatcher watcher;

    TemplatesHealthCheck(TemplateWatcher watcher) {
        super("hub", "templates");
        this.watcher = watcher;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String failure = watcher.lastFailure();
        if (failure == null) {
            builder.up().message("templates: ok");
        } else {
            builder.up().message("templates: last reload failed: " + failure).detail("templates.degraded", true);
        }
    }
}
