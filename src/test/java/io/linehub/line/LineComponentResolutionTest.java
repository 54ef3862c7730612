package io.linehub.line;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.annotations.Component;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The line: component as Camel components are: found by its scheme, options on its configuration, headers documented. */
class LineComponentResolutionTest {

    @Test
    void camelFindsTheComponentByItsSchemeAndBindsTheOptionsOnTheConfiguration() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            LineEndpoint endpoint = camel.getEndpoint("line:narrowcast?channel=acme&retryKey=auto&requestTimeout=2500"
                    + "&notificationDisabled=true&deliveryTag=0123456789abcdef&waitForCompletion=true&progressInterval=40"
                    + "&progressTimeout=9000&lazyStartProducer=true", LineEndpoint.class);
            assertThat(camel.getComponent("line")).isInstanceOf(LineComponent.class);
            LineConfiguration c = endpoint.getConfiguration();
            assertThat(c.getOperation()).isEqualTo(LineOperation.NARROWCAST);
            assertThat(c.getChannel()).isEqualTo("acme");
            assertThat(c.generatesRetryKey()).isTrue();
            assertThat(c.getRequestTimeout()).isEqualTo(2500);
            assertThat(c.getNotificationDisabled()).isTrue();
            assertThat(c.getDeliveryTag()).isEqualTo("0123456789abcdef");
            assertThat(c.isWaitForCompletion()).isTrue();
            assertThat(c.getProgressInterval()).isEqualTo(40);
            assertThat(c.getProgressTimeout()).isEqualTo(9000);
            assertThat(endpoint.isLazyStartProducer()).isTrue();

            LineConfiguration defaults = camel.getEndpoint("line:push", LineEndpoint.class).getConfiguration();
            assertThat(defaults.getChannel()).isEqualTo("default");
            assertThat(defaults.getRetryKey()).isEqualTo("none");
            assertThat(defaults.getRequestTimeout()).isEqualTo(10_000);
        }
    }

    @Test
    void unknownOptionsAndBadValuesFailTheUri() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            assertThatThrownBy(() -> camel.getEndpoint("line:push?chanel=acme")).isInstanceOf(ResolveEndpointFailedException.class)
                    .hasMessageContaining("chanel");
            assertThatThrownBy(() -> camel.getEndpoint("line:push?retryKey=always")).isInstanceOf(ResolveEndpointFailedException.class)
                    .hasRootCauseMessage("retryKey must be auto or none; give a key of your own in the LineRetryKey header");
            assertThatThrownBy(() -> camel.getEndpoint("line:push?operation=broadcast")).isInstanceOf(ResolveEndpointFailedException.class)
                    .hasMessageContaining("operation");
            assertThatThrownBy(() -> camel.getEndpoint("line:send")).isInstanceOf(ResolveEndpointFailedException.class)
                    .hasRootCauseMessage("unknown LINE operation 'send'; known: [pnp-template, pnp-flex, push, multicast, broadcast,"
                            + " narrowcast, narrowcast-progress, quota, quota-consumption, pnp-template-stats, pnp-flex-stats]");
        }
    }

    @Test
    void theComponentIsAnnotatedAsCamelComponentsAre() {
        assertThat(LineComponent.class.getAnnotation(Component.class).value()).isEqualTo("line");
        Arrays.stream(LineConfiguration.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(UriParam.class))
                .forEach(f -> assertThat(f.getAnnotation(UriParam.class).label()).as(f.getName()).startsWith("producer"));
    }

    @Test
    void everyHeaderIsDocumentedWithItsType() throws Exception {
        for (Field f : LineConstants.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getName().equals("ROUND_TRIP_TIMES")) {
                continue; // ROUND_TRIP_TIMES is an exchange property, not a header
            }
            Metadata m = f.getAnnotation(Metadata.class);
            assertThat(m).as(f.getName()).isNotNull();
            assertThat(m.description()).as(f.getName()).isNotBlank();
            assertThat(m.javaType()).as(f.getName()).isNotBlank();
            assertThat(m.label()).as(f.getName()).isIn("producer", "webhook");
            assertThat((String) f.get(null)).as(f.getName()).startsWith("Line");
        }
    }
}
