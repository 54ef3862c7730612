package io.linehub.sandbox;

import java.net.URI;
import java.util.Objects;

/**
 * One LINE channel (Messaging API channel of a LINE Official Account) emulated by the sandbox.
 *
 * @param name          a label used in records and logs (not a LINE concept)
 * @param accessToken   the channel access token the hub must send as {@code Authorization: Bearer ...}
 * @param channelSecret the channel secret used to sign webhooks ({@code x-line-signature})
 * @param webhookUrl    where webhooks (delivery completion events) are POSTed; may be null (no webhooks)
 */
public record SandboxChannel(String name, String accessToken, String channelSecret, URI webhookUrl) {

    public SandboxChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(channelSecret, "channelSecret");
        if (accessToken.isBlank()) {
            throw new IllegalArgumentException("accessToken must not be blank");
        }
    }

    /** Never prints the token or the secret. */
    @Override
    public String toString() {
        return "SandboxChannel[name=" + name + ", webhookUrl=" + webhookUrl + "]";
    }
}
