package io.linehub.channels;

import io.linehub.template.LonMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The channels file (HUB_CHANNELS_FILE): a valid file, environment references, and each kind of broken entry. */
class ChannelsFileTest {

    static final Map<String, String> ENV = Map.of("LINE_TH_TOKEN", "th-token-from-env", "LINE_TH_SECRET", "th-secret-from-env",
            "LINE_TW_SECRET", "tw-secret-from-env");

    static final String VALID = """
            channels:
              - name: jp-main
                country: JP
                accessToken: jp-token
                channelSecret: jp-secret
              - name: th-main
                country: TH
                language: en
                accessToken: ${LINE_TH_TOKEN}
                channelSecret: "${LINE_TH_SECRET}"
                apiBaseUrl: http://127.0.0.1:9999/line
                ratePerSecond: 300
                flexibleApproved: true
                buddhistEra: false
                quietHours: "21:00-08:00"
                templateKeys:
                  payment_reminder:
                    templateKey: payment_due_th
                    items: {amount: amount_th}
              - name: tw-brand_2
                country: TW
                channelId: "1657000000"
                channelSecret: ${LINE_TW_SECRET}
            """;

    private static List<ChannelDefinition> parse(String yaml) {
        return ChannelsFile.parse("channels.yaml", yaml, ENV::get);
    }

    @Test
    void validFileGivesEveryChannelWithItsDefaults() {
        List<ChannelDefinition> channels = parse(VALID);
        assertThat(channels).extracting(ChannelDefinition::name).containsExactly("jp-main", "th-main", "tw-brand_2");

        ChannelDefinition jp = channels.get(0);
        assertThat(jp.line().accessToken()).isEqualTo("jp-token");
        assertThat(jp.line().baseUrl()).hasToString("https://api.line.me");
        assertThat(jp.line().defaultLanguage()).isEqualTo("ja");
        assertThat(jp.ratePerSecond()).isEqualTo(2000);
        assertThat(jp.line().flexibleApproved()).isFalse();
        assertThat(jp.line().buddhistEra()).isFalse();
        assertThat(jp.line().issuesTokens()).isFalse();

        ChannelDefinition th = channels.get(1);
        assertThat(th.line().defaultLanguage()).isEqualTo("en");
        assertThat(th.line().baseUrl()).hasToString("http://127.0.0.1:9999/line");
        assertThat(th.ratePerSecond()).isEqualTo(300);
        assertThat(th.line().flexibleApproved()).isTrue();
        assertThat(th.line().buddhistEra()).isFalse();
        assertThat(th.quiet()).isPresent();
        LonMapping keys = th.templateKeys().get("payment_reminder");
        assertThat(keys.templateKey()).isEqualTo("payment_due_th");
        assertThat(keys.country()).isEqualTo("TH");
        assertThat(keys.itemKeys()).containsEntry("amount", "amount_th");

        ChannelDefinition tw = channels.get(2);
        assertThat(tw.line().issuesTokens()).isTrue();
        assertThat(tw.line().channelId()).isEqualTo("1657000000");
        assertThat(tw.line().accessToken()).isNull();
        assertThat(tw.line().defaultLanguage()).isEqualTo("zh-TW");
    }

    @Test
    void environmentReferencesAreResolvedAndNeverPrinted() {
        ChannelDefinition th = parse(VALID).get(1);
        assertThat(th.line().accessToken()).isEqualTo("th-token-from-env");
        assertThat(th.line().channelSecret()).isEqualTo("th-secret-from-env");
        assertThat(parse(VALID).get(2).line().channelSecret()).isEqualTo("tw-secret-from-env");
        assertThat(th.toString()).doesNotContain("th-token-from-env").doesNotContain("th-secret-from-env");
        // a reference inside a longer value
        ChannelDefinition mixed = parse("""
                channels:
                  - {name: default, country: TH, accessToken: "pre-${LINE_TH_TOKEN}-post", channelSecret: s}
                """).get(0);
        assertThat(mixed.line().accessToken()).isEqualTo("pre-th-token-from-env-post");
    }

    @Test
    void anUnsetEnvironmentVariableNamesTheEntryFieldAndVariable() {
        assertThatThrownBy(() -> parse("""
                channels:
                  - {name: jp-main, country: JP, accessToken: t, channelSecret: s}
                  - {name: th-main, country: TH, accessToken: "${LINE_TH_MISSING}", channelSecret: s}
                """))
                .isInstanceOf(ChannelsFileException.class)
                .hasMessage("channels file channels.yaml: entry 2 (th-main): accessToken: refers to the environment variable LINE_TH_MISSING, which is not set");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no name                    | {country: JP, accessToken: t, channelSecret: s}                                            | name             | is required
            name not URL-safe          | {name: 'Thai Main', country: JP, accessToken: t, channelSecret: s}                         | name             | must be 1 to 64 lower-case letters
            unknown field              | {name: a, country: JP, accessToken: t, channelSecret: s, token: x}                         | token            | is not a known field
            no country                 | {name: a, accessToken: t, channelSecret: s}                                                | country          | is required
            country not LON            | {name: a, country: US, accessToken: t, channelSecret: s}                                   | country          | must be one of [JP, TH, TW]
            language unknown           | {name: a, country: TH, language: fr, accessToken: t, channelSecret: s}                     | language         | must be one of
            token and channel id       | {name: a, country: TH, accessToken: t, channelId: '123', channelSecret: s}                 | accessToken      | not both
            no credentials             | {name: a, country: TH, channelSecret: s}                                                   | accessToken      | is required, or channelId
            channel id not digits      | {name: a, country: TH, channelId: abc, channelSecret: s}                                   | channelId        | digits only
            no secret                  | {name: a, country: TH, accessToken: t}                                                     | channelSecret    | is required
            empty secret               | {name: a, country: TH, accessToken: t, channelSecret: ''}                                  | channelSecret    | must not be empty
            secret a map               | {name: a, country: TH, accessToken: t, channelSecret: {x: 1}}                              | channelSecret    | must be a single value
            base URL without host      | {name: a, country: TH, accessToken: t, channelSecret: s, apiBaseUrl: 'ftp:/x'}             | apiBaseUrl       | http or https URL
            rate not a number          | {name: a, country: TH, accessToken: t, channelSecret: s, ratePerSecond: fast}              | ratePerSecond    | whole number
            rate above LINE's          | {name: a, country: TH, accessToken: t, channelSecret: s, ratePerSecond: 2001}              | ratePerSecond    | must be 1 to 2000
            rate zero                  | {name: a, country: TH, accessToken: t, channelSecret: s, ratePerSecond: 0}                 | ratePerSecond    | must be 1 to 2000
            flexible not boolean       | {name: a, country: TH, accessToken: t, channelSecret: s, flexibleApproved: maybe}          | flexibleApproved | true or false
            era not boolean            | {name: a, country: TH, accessToken: t, channelSecret: s, buddhistEra: 2569}                | buddhistEra      | true or false
            quiet hours                | {name: a, country: TH, accessToken: t, channelSecret: s, quietHours: 'late'}               | quietHours       | HH:mm-HH:mm
            template keys not a map    | {name: a, country: TH, accessToken: t, channelSecret: s, templateKeys: [x]}                | templateKeys     | must map notification types
            template key missing       | {name: a, country: TH, accessToken: t, channelSecret: s, templateKeys: {delivery: {items: {}}}} | templateKeys.delivery.templateKey | is required
            template key not LINE's    | {name: a, country: TH, accessToken: t, channelSecret: s, templateKeys: {delivery: {templateKey: 'a b'}}} | templateKeys.delivery.templateKey | not a LINE key
            stray dollar               | {name: a, country: TH, accessToken: 'x${', channelSecret: s}                               | accessToken      | not a reference
            """)
    void eachBrokenEntryNamesItsIndexNameFieldAndReason(String name, String entry, String field, String reason) {
        String yaml = "channels:\n  - {name: ok, country: JP, accessToken: t0, channelSecret: s0}\n  - " + entry + "\n";
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ChannelsFileException.class)
                .satisfies(e -> {
                    ChannelsFileException c = (ChannelsFileException) e;
                    assertThat(c.entry()).isEqualTo(2);
                    assertThat(c.field()).isEqualTo(field);
                    assertThat(c.reason()).contains(reason);
                    assertThat(c.getMessage()).startsWith("channels file channels.yaml: entry 2" + (entry.contains("name: a,") ? " (a)" : ""));
                });
    }

    @Test
    void aDuplicateNameIsRefused() {
        assertThatThrownBy(() -> parse("""
                channels:
                  - {name: th, country: TH, accessToken: t1, channelSecret: s1}
                  - {name: th, country: TH, accessToken: t2, channelSecret: s2}
                """)).isInstanceOf(ChannelsFileException.class)
                .hasMessage("channels file channels.yaml: entry 2 (th): name: is used by an earlier entry; names must be unique");
    }

    @Test
    void theFileAsAWholeMustBeAListOfChannels() {
        assertThatThrownBy(() -> parse("channels: [")).hasMessageContaining("file: is not valid YAML");
        assertThatThrownBy(() -> parse("channel:\n  - {name: a}\n")).hasMessageContaining("channels: is required");
        assertThatThrownBy(() -> parse("channels: []\n")).hasMessageContaining("channels: must be a list of at least one channel");
        assertThatThrownBy(() -> parse("channels:\n  - {name: a, country: JP, accessToken: t, channelSecret: s}\nextra: 1\n"))
                .hasMessageContaining("extra: is not a known field");
        assertThatThrownBy(() -> parse("channels:\n  - {name: a, name: b, country: JP, accessToken: t, channelSecret: s}\n"))
                .hasMessageContaining("a key is repeated");
        assertThatThrownBy(() -> parse("channels:\n  - just-a-name\n")).hasMessageContaining("entry 1: entry: must be a map");
    }

    @Test
    void noErrorQuotesASecretOrToken() {
        String secret = "very-secret-value-123";
        for (String yaml : List.of(
                "channels:\n  - {name: a, country: TH, accessToken: " + secret + ", channelId: '1', channelSecret: s}\n",
                "channels:\n  - {name: a, country: TH, channelId: " + secret + ", channelSecret: s}\n",
                "channels:\n  - {name: a, country: TH, accessToken: t, channelSecret: s, ratePerSecond: " + secret + "}\n",
                "channels:\n  - {name: a, country: TH, accessToken: t, channelSecret: s, apiBaseUrl: " + secret + "}\n")) {
            assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ChannelsFileException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        }
    }

    @Test
    void noFileMeansNoChannels(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(ChannelsFile.read(dir.resolve("channels.yaml"), ENV::get)).isEmpty();
        Path file = dir.resolve("given.yaml");
        Files.writeString(file, VALID);
        assertThat(ChannelsFile.read(file, ENV::get)).hasSize(3);
    }

    @Test
    void registryGivesEachChannelsRateBudgetPerEndpointAndRoutesByCountry() {
        Channels channels = new Channels(parse(VALID));
        assertThat(channels.rateBudgets()).containsEntry("th-main:push", 300).containsEntry("th-main:pnp-template", 300)
                .containsEntry("jp-main:multicast", 2000).doesNotContainKey("th-main:broadcast");
        assertThat(channels.forCountry("TH")).map(ChannelDefinition::name).contains("th-main");
        assertThat(channels.forCountry("TW")).map(ChannelDefinition::name).contains("tw-brand_2");
        assertThat(channels.forCountry("US")).isEmpty();
        assertThat(channels.lineChannels().find("tw-brand_2")).isPresent();
    }

    @Test
    void theExampleFileIsValid() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (String v : List.of("LINE_JP_TOKEN", "LINE_JP_SECRET", "LINE_TH_CHANNEL_ID", "LINE_TH_SECRET", "LINE_TW_TOKEN", "LINE_TW_SECRET")) {
            env.put(v, v.endsWith("_ID") ? "1234567890" : "x-" + v);
        }
        List<ChannelDefinition> example = ChannelsFile.read(Path.of("config/channels.yaml.example"), env::get);
        assertThat(example).extracting(ChannelDefinition::country).contains("JP", "TH", "TW");
        new Channels(example).checkTemplateKeys("config/channels.yaml.example", io.linehub.template.TemplateCatalog.load(Path.of("config/templates")));
    }
}
