package io.linehub.sandbox;

import java.time.Instant;

/**
 * One webhook the sandbox POSTed to a channel's webhook URL.
 *
 * @param at        when it was sent (configured clock)
 * @param channel   channel name
 * @param body      the exact JSON body sent
 * @param signature the {@code x-line-signature} header sent
 * @param hubStatus HTTP status the hub answered; -1 when the connection failed or timed out
 */
public record SentWebhook(Instant at, String channel, String body, String signature, int hubStatus) {
}
