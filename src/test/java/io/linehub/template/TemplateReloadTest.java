package io.linehub.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import static io.linehub.template.TemplateTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: templates change without a restart; a broken change is refused and the last good set stays. */
class TemplateReloadTest {

    static final RenderOptions EN = new RenderOptions("en", "TH", ZoneId.of("Asia/Bangkok"), false);

    @Test
    void goodChangeIsAppliedBrokenChangeRefusedLastGoodKept(@TempDir Path dir) throws Exception {
        try (var files = Files.list(CONFIG)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        TemplateCatalog catalog = TemplateCatalog.load(dir);
        TemplateRenderer renderer = new TemplateRenderer(catalog);
        String v1 = renderer.templateVersion("payment_reminder");
        try (TemplateWatcher watcher = new TemplateWatcher(dir, catalog)) {
            assertThat(watcher.check()).as("nothing changed").isFalse();
            Path file = dir.resolve("payment_reminder.yaml");
            String good = Files.readString(file);

            // a good change is applied
            Files.writeString(file, good.replace("title: \"Payment reminder\"", "title: \"Your payment is due soon\""));
            assertThat(watcher.check()).isTrue();
            assertThat(watcher.lastFailure()).isNull();
            assertThat(renderer.renderFlexMessage("payment_reminder", catalog.find("payment_reminder").orElseThrow().sample("en"), EN).toString())
                    .contains("Your payment is due soon");
            String v2 = renderer.templateVersion("payment_reminder");
            assertThat(v2).isNotEqualTo(v1).hasSize(64);

            // a broken change is refused, with the file and the reason; the last good templates stay
            Files.writeString(file, good.replace("title: \"Payment reminder\"", "title: \"Your payment is due soon\"").replace("type: money", "type: cash"));
            assertThat(watcher.check()).isFalse();
            assertThat(watcher.lastFailure()).startsWith("payment_reminder.yaml: field 'amount': unknown field type 'cash'");
            assertThat(renderer.templateVersion("payment_reminder")).isEqualTo(v2);
            assertThat(renderer.renderFlexMessage("payment_reminder", catalog.find("payment_reminder").orElseThrow().sample("en"), EN).toString())
                    .contains("Your payment is due soon");
            assertThat(watcher.check()).as("the same broken content is not loaded again").isFalse();

            // a new broken file also leaves every template as it was
            Files.writeString(dir.resolve("zz_new.yaml"), "type: zz_new\n");
            assertThat(watcher.check()).isFalse();
            assertThat(catalog.all()).hasSize(22);

            // fixed: applied, the failure is gone
            Files.delete(dir.resolve("zz_new.yaml"));
            Files.writeString(file, good);
            assertThat(watcher.check()).isTrue();
            assertThat(watcher.lastFailure()).isNull();
            assertThat(renderer.templateVersion("payment_reminder")).isEqualTo(v1);
        }
    }
}
