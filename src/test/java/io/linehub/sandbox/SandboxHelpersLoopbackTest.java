package io.linehub.sandbox;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sandbox's helper endpoints ({@code /sandbox/*}) show and change its state, so they answer only to clients on
 * the same machine: a request arriving on a non-loopback address gets 403, while LINE's endpoints still answer there.
 */
class SandboxHelpersLoopbackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void helpersAnswerOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        try (LineSandbox sandbox = LineSandbox.start(SandboxConfig.builder().host("0.0.0.0")
                .channel(new SandboxChannel("a", "tok", "s", null)).build())) {
            int port = URI.create(sandbox.baseUrl()).getPort();
            String outside = "http://" + external.get().getHostAddress() + ":" + port;
            String local = "http://127.0.0.1:" + port;
            for (String path : new String[]{"/sandbox/requests", "/sandbox/webhooks", "/sandbox/sent"}) {
                assertThat(get(local + path).statusCode()).as("loopback " + path).isEqualTo(200);
                HttpResponse<String> refused = get(outside + path);
                assertThat(refused.statusCode()).as("from " + outside + path).isEqualTo(403);
                assertThat(refused.body()).contains("loopback");
            }
            HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(URI.create(outside + "/sandbox/requests")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(403);
            HttpResponse<String> friends = HTTP.send(HttpRequest.newBuilder(URI.create(outside + "/sandbox/channels/a/friends"))
                    .POST(HttpRequest.BodyPublishers.ofString("[\"U0123456789abcdef0123456789abcdef\"]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(friends.statusCode()).isEqualTo(403);
            // LINE's own endpoints (token-checked) are not affected
            assertThat(get(outside + "/v2/bot/message/quota").statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
