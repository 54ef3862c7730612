package io.linehub.template;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.linehub.template.TemplateTestSupport.FIXTURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A wrong template file fails loading with a message that names the file, the field and the reason. */
class TemplateDefinitionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            broken-unknown-type           | note                 | unknown field type 'string'
            broken-missing-language       | note                 | missing zh-TW text in labels
            broken-missing-language-texts | texts.ja             | missing ja texts
            broken-duplicate-key          | lon.JP.items.note    | duplicate item key 'test_only_item_1' (also used by code
            broken-duplicate-button-key   | lon.JP.buttons.link2 | duplicate button key 'test_only_button_1'
            broken-duplicate-field        | note                 | duplicate field name 'note'
            broken-too-many-items         | item16               | 16 item fields; LINE allows at most 15
            broken-too-many-buttons       | link3                | 3 button fields; LINE allows at most 2
            broken-emphasized-too-long    | code                 | at most 15 characters in the emphasised item
            broken-item-too-long          | note                 | item content is at most 300 characters
            broken-url-too-long           | link                 | URLs are at most 1000 characters
            broken-url-not-https          | sample.link          | must be a link LINE opens
            """)
    void brokenFileNamesFileFieldAndReason(String dir, String field, String reason) {
        TemplateDefinitionException e = catchThrowableOfType(TemplateDefinitionException.class,
                () -> TemplateCatalog.load(FIXTURES.resolve(dir)));
        assertThat(e).as(dir).isNotNull();
        assertThat(e.getMessage()).startsWith("probe.yaml: field '" + field + "': ").contains(reason);
        assertThat(e.file()).isEqualTo("probe.yaml");
        assertThat(e.field()).isEqualTo(field);
    }

    @Test
    void duplicateYamlKeyIsReportedWithItsName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String valid = Files.readString(FIXTURES.resolve("broken-unknown-type/probe.yaml")).replace("type: string", "type: text");
        Files.writeString(dir.resolve("probe.yaml"), valid.replace("layout: receipt\n", "layout: receipt\nlayout: ticket\n"));
        assertThatThrownBy(() -> TemplateCatalog.load(dir)).isInstanceOf(TemplateDefinitionException.class)
                .hasMessageStartingWith("probe.yaml: field 'layout': duplicate key 'layout'");
    }

    @Test
    void fileNameMustMatchTypeAndAltTextMayOnlyUseRequiredFields(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String valid = Files.readString(FIXTURES.resolve("broken-unknown-type/probe.yaml")).replace("type: string", "type: text");
        Files.writeString(dir.resolve("other.yaml"), valid);
        assertThatThrownBy(() -> TemplateCatalog.load(dir)).hasMessageStartingWith("other.yaml: field 'type': is 'probe' but the file is named other.yaml");
        Files.delete(dir.resolve("other.yaml"));
        Files.writeString(dir.resolve("probe.yaml"), valid.replace("altText: \"Probe {code}\"", "altText: \"Probe {note}\""));
        assertThatThrownBy(() -> TemplateCatalog.load(dir)).hasMessage("probe.yaml: field 'texts.en.altText': refers to optional field {note}; alt text may only use required fields");
    }

    @Test
    void theShippedCatalogueLoads() {
        assertThat(TemplateCatalog.load(TemplateTestSupport.CONFIG).all()).hasSize(22);
    }
}
