package io.linehub.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A type's quietHours and urgent keys (issue 15): read when the template loads, refused naming the key when wrong. */
class TemplateQuietHoursTest {

    @TempDir
    Path dir;

    private NotificationTemplate load(String extra) throws Exception {
        String yaml = Files.readString(Path.of("config/templates/shipping_complete.yaml"))
                .replace("type: shipping_complete", "type: shipping_complete\n" + extra);
        Path file = dir.resolve("shipping_complete.yaml");
        Files.writeString(file, yaml);
        return TemplateLoader.load(file);
    }

    @Test
    void withoutTheKeysATypeHasNoQuietHoursOfItsOwnAndIsNotUrgent() throws Exception {
        NotificationTemplate t = load("");
        assertThat(t.quietHours()).isEmpty();
        assertThat(t.urgent()).isFalse();
    }

    @Test
    void quietHoursAndUrgentAreRead() throws Exception {
        NotificationTemplate t = load("quietHours: \"22:00-07:30\"\nurgent: true");
        assertThat(t.quietHours()).hasValueSatisfying(q -> assertThat(q).hasToString("22:00-07:30"));
        assertThat(t.urgent()).isTrue();
    }

    @Test
    void wrongValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("quietHours: \"late evening\"")).hasMessageContaining("quietHours").hasMessageContaining("HH:mm-HH:mm");
        assertThatThrownBy(() -> load("quietHours: \"21:00-21:00\"")).hasMessageContaining("quietHours");
        assertThatThrownBy(() -> load("urgent: \"yes\"")).hasMessageContaining("urgent").hasMessageContaining("true or false");
    }
}
