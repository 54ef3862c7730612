package io.linehub.cli;

import io.linehub.sandbox.SandboxConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxCommandTest {

    @Test
    void parsesPortChannelsAndBehaviour() {
        SandboxConfig c = SandboxCommand.parse(new String[]{"--port", "9100", "--channel", "acme:tok:sec:http://127.0.0.1:8080/webhook/line/acme",
                "--channel", "beta:tok2:sec2", "--accept-all", "--delivery-delay-ms", "250", "--undelivered-share", "0.1", "--no-validation"});
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.channels()).hasSize(2);
        assertThat(c.channels().get(0).webhookUrl()).hasToString("http://127.0.0.1:8080/webhook/line/acme");
        assertThat(c.channels().get(1).webhookUrl()).isNull();
        assertThat(c.acceptAllNumbers()).isTrue();
        assertThat(c.deliveryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.undeliveredShare()).isEqualTo(0.1);
        assertThat(c.validateRequests()).isFalse();
    }

    @Test
    void batchesDeliveryEventsPerWebhookRequestAsConfigured() {
        SandboxConfig defaults = SandboxCommand.parse(new String[0]);
        assertThat(defaults.webhookBatchMax()).isEqualTo(SandboxConfig.DEFAULT_WEBHOOK_BATCH_MAX).isGreaterThan(1);
        assertThat(defaults.webhookBatchWindow()).isEqualTo(SandboxConfig.DEFAULT_WEBHOOK_BATCH_WINDOW);
        SandboxConfig c = SandboxCommand.parse(new String[]{"--webhook-batch-max", "250", "--webhook-batch-ms", "20"});
        assertThat(c.webhookBatchMax()).isEqualTo(250);
        assertThat(c.webhookBatchWindow()).isEqualTo(Duration.ofMillis(20));
        assertThatThrownBy(() -> SandboxCommand.parse(new String[]{"--webhook-batch-max", "0"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxCommand.parse(new String[]{"--webhook-batch-ms", "-1"})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesRequestsUnlessToldNotTo() {
        assertThat(SandboxCommand.parse(new String[0]).validateRequests()).isTrue();
    }

    @Test
    void aChannelMayTakeTokensIssuedByChannelIdWithAGivenLifetime() {
        SandboxConfig c = SandboxCommand.parse(new String[]{"--channel-id", "th:1657000001:th-secret:http://127.0.0.1:8080/webhook/line/th",
                "--token-lifetime-seconds", "60"});
        assertThat(c.channels()).singleElement().satisfies(ch -> {
            assertThat(ch.channelId()).isEqualTo("1657000001");
            assertThat(ch.accessToken()).isNull();
            assertThat(ch.channelSecret()).isEqualTo("th-secret");
        });
        assertThat(c.tokenLifetime()).hasSeconds(60);
    }

    @Test
    void withoutChannelsItOffersADefaultOne() {
        SandboxConfig c = SandboxCommand.parse(new String[0]);
        assertThat(c.port()).isEqualTo(8090);
        assertThat(c.channels()).singleElement().satisfies(ch -> assertThat(ch.accessToken()).isEqualTo("sandbox-token"));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> SandboxCommand.parse(new String[]{"--port"})).hasMessageContaining("usage");
        assertThatThrownBy(() -> SandboxCommand.parse(new String[]{"--channel", "only-a-name"})).hasMessageContaining("name:token:secret");
        assertThatThrownBy(() -> SandboxCommand.parse(new String[]{"--frobnicate"})).hasMessageContaining("unknown option");
    }
}
