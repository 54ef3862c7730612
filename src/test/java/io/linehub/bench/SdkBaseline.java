package io.linehub.bench;

import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.model.PnpMessagesRequest;
import com.linecorp.bot.messaging.model.PushMessageRequest;
import com.linecorp.bot.messaging.model.TextMessage;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The baseline: the same notifications sent with LINE's own Java SDK (com.linecorp.bot 9.1.0) the plain way a
 * developer writes it — a loop that sends one request and waits for its answer. Prints the rate reached in the
 * given time. Arguments: baseUrl token kind(push|lon) seconds.
 */
public final class SdkBaseline {

    public static void main(String[] args) throws Exception {
        MessagingApiClient client = MessagingApiClient.builder(args[1]).apiEndPoint(URI.create(args[0] + "/")).build();
        boolean lon = args[2].equals("lon");
        long seconds = Long.parseLong(args[3]);
        TextMessage text = new TextMessage("Your parcel has shipped");
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() < end) {
            if (lon) {
                client.pushMessagesByPhone(null, new PnpMessagesRequest(List.of(text), Bench.hash(sent), false)).get();
            } else {
                client.pushMessage(UUID.randomUUID(), new PushMessageRequest(Bench.userId(sent), List.of(text), false, null)).get();
            }
            sent++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("SDK %s: %d sent in %.1f s = %.1f/s%n", args[2], sent, elapsed, sent / elapsed);
        System.exit(0);
    }
}
