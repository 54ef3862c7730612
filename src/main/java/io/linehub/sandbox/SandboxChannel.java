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
 * @param channelId     LINE's channel ID: with it (and the channel secret as client secret) {@code POST /oauth2/v3/token}
 *                      issues short-lived tokens for this channel; null: only {@code accessToken} is accepted
 */
public record SandboxChannel(String name, String accessToken, String channelSecret, URI webhookUrl, String channelId) {

    public SandboxChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channelSecret, "channelSecret");
        if (accessToken == null && channelId == null) {
            throw new IllegalArgumentException("a sandbox channel needs an access token or a channel ID");
        }
        if (accessToken != null && accessToken.isBlank()) {
            throw new IllegalArgumentException("accessToken must not be blank");
        }
    }

    public SandboxChannel(String name, String accessToken, String channelSecret, URI webhookUrl) {
        this(name, accessToken, channelSecret, webhookUrl, null);
    }

    /** Never prints the token or the secret. */
    @Override
    public String toString() {
        return "SandboxChannel[name=" + name + ", webhookUrl=" + webhookUrl + "]";
    }
}
