package io.linehub.sandbox;

import com.linecorp.bot.client.base.Result;
import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.model.BroadcastRequest;
import com.linecorp.bot.messaging.model.MulticastRequest;
import com.linecorp.bot.messaging.model.NarrowcastProgressResponse;
import com.linecorp.bot.messaging.model.NarrowcastRequest;
import com.linecorp.bot.messaging.model.PnpMessagesRequest;
import com.linecorp.bot.messaging.model.PushMessageRequest;
import com.linecorp.bot.messaging.model.PushMessageResponse;
import com.linecorp.bot.messaging.model.TextMessage;
import com.linecorp.bot.parser.LineSignatureValidator;
import com.linecorp.bot.parser.WebhookParser;
import com.linecorp.bot.webhook.model.CallbackRequest;
import com.linecorp.bot.webhook.model.Event;
import com.linecorp.bot.webhook.model.FollowEvent;
import com.linecorp.bot.webhook.model.PnpDeliveryCompletionEvent;
import com.linecorp.bot.webhook.model.UnfollowEvent;
import com.linecorp.bot.webhook.model.UserSource;
import com.sun.net.httpserver.HttpServer;
import io.linehub.phone.PhoneNumbers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LINE's own Java SDK (com.linecorp.bot 9.1.0), unchanged, as an independent client of the sandbox, and
 * LINE's webhook parser as an independent judge of the webhooks the sandbox sends.
 */
class LineSdkAgainstSandboxTest {

    static final String TOKEN = "sdk-token-42";
    static final String SECRET = "sdk-secret-42";
    static final String FRIEND = "U4af4980629ad1a2d7f2b1f6f1b2c3d4e";
    static final String FRIEND2 = "U0123456789abcdef0123456789abcdef";

    static HttpServer receiver;
    static final List<String[]> received = new CopyOnWriteArrayList<>();
    static LineSandbox sandbox;
    static MessagingApiClient client;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new String[]{exchange.getRequestHeaders().getFirst("x-line-signature"), new String(body, StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        sandbox = LineSandbox.start(SandboxConfig.builder()
                .channel(new SandboxChannel("sdk", TOKEN, SECRET, URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook")))
                .deliveryDelay(Duration.ofMillis(50))
                .narrowcastPhases(Duration.ofMillis(50), Duration.ofMillis(50))
                .narrowcastMinRecipients(1)
                .build());
        sandbox.addFriend("sdk", FRIEND);
        sandbox.addFriend("sdk", FRIEND2);
        sandbox.directory().add(PhoneNumbers.hash("+66812345678"));
        client = MessagingApiClient.builder(TOKEN).apiEndPoint(URI.create(sandbox.baseUrl() + "/")).build();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.stop(0);
    }

    @Test
    void sdkSendsEveryKindAndReadsTheAnswers() throws Exception {
        TextMessage text = new TextMessage("ส่งของแล้ว / 発送しました");

        Result<PushMessageResponse> push = client.pushMessage(UUID.randomUUID(), new PushMessageRequest(FRIEND, List.of(text), false, null)).get();
        assertThat(push.requestId()).isNotBlank();
        assertThat(push.body().sentMessages()).hasSize(1);
        assertThat(push.body().sentMessages().get(0).id()).matches("\\d+");

        Result<Object> multicast = client.multicast(UUID.randomUUID(), new MulticastRequest(List.of(text), List.of(FRIEND, FRIEND2), false, null)).get();
        assertThat(multicast.requestId()).isNotBlank();

        Result<Object> broadcast = client.broadcast(UUID.randomUUID(), new BroadcastRequest(List.of(text), false)).get();
        assertThat(broadcast.requestId()).isNotBlank();

        Result<Object> narrowcast = client.narrowcast(UUID.randomUUID(), new NarrowcastRequest(List.of(text), null, null, null, false)).get();
        String narrowcastId = narrowcast.requestId();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.getNarrowcastProgress(narrowcastId).get().body().phase()
                == NarrowcastProgressResponse.Phase.SUCCEEDED);
        assertThat(client.getNarrowcastProgress(narrowcastId).get().body().successCount()).isEqualTo(2L);

        Result<Void> lon = client.pushMessagesByPhone("sdk-tag-0123456789", new PnpMessagesRequest(List.of(text), PhoneNumbers.hash("+66812345678"), false)).get();
        assertThat(lon.requestId()).isNotBlank();

        assertThat(sandbox.requests()).extracting(RecordedRequest::status).allMatch(s -> s >= 200 && s < 300);
        assertThat(sandbox.sent()).extracting(SentMessage::endpoint).contains(ApiPath.PUSH, ApiPath.MULTICAST,
                ApiPath.BROADCAST, ApiPath.NARROWCAST, ApiPath.PNP_FLEXIBLE_PUSH);
    }

    @Test
    void linesParserVerifiesAndParsesEveryWebhookTheSandboxSends() throws Exception {
        received.clear();
        client.pushMessagesByPhone("sdk-tag-fedcba9876543", new PnpMessagesRequest(List.of(new TextMessage("hi")),
                PhoneNumbers.hash("+66812345678"), false)).get();
        sandbox.follow("sdk", "U11111111111111111111111111111111");
        sandbox.unfollow("sdk", "U11111111111111111111111111111111");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 3);

        WebhookParser parser = new WebhookParser(new LineSignatureValidator(SECRET.getBytes(StandardCharsets.UTF_8)));
        List<Event> events = new ArrayList<>();
        for (String[] r : received) {
            CallbackRequest callback = parser.handle(r[0], r[1].getBytes(StandardCharsets.UTF_8));
            assertThat(callback.destination()).startsWith("U");
            events.addAll(callback.events());
        }
        assertThat(events).hasAtLeastOneElementOfType(PnpDeliveryCompletionEvent.class)
                .hasAtLeastOneElementOfType(FollowEvent.class).hasAtLeastOneElementOfType(UnfollowEvent.class);
        PnpDeliveryCompletionEvent delivery = (PnpDeliveryCompletionEvent) events.stream().filter(e -> e instanceof PnpDeliveryCompletionEvent).findFirst().orElseThrow();
        assertThat(delivery.delivery().data()).isEqualTo("sdk-tag-fedcba9876543");
        FollowEvent follow = (FollowEvent) events.stream().filter(e -> e instanceof FollowEvent).findFirst().orElseThrow();
        assertThat(((UserSource) follow.source()).userId()).isEqualTo("U11111111111111111111111111111111");
        assertThat(follow.replyToken()).isNotBlank();

        // and the parser refuses a body the sandbox did not sign
        String[] first = received.get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.handle(first[0], (first[1] + " ").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(com.linecorp.bot.parser.WebhookParseException.class);
    }
}
