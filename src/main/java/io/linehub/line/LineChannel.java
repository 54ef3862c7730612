package io.linehub.line;

import java.net.URI;

/**
 * One LINE Official Account channel the hub sends through.
 *
 * @param name           the hub's name for it ({@code default} for the one set by LINE_CHANNEL_ACCESS_TOKEN)
 * @param accessToken    channel access token (secret)
 * @param channelSecret  channel secret, for webhook signatures (secret)
 * @param baseUrl        LINE API base URL, or any LINE-compatible server
 * @param country        the OA's country (JP, TH, TW): it decides which LON templates LINE offers
 * @param defaultLanguage language of texts when the customer has none
 * @param buddhistEra    show Thai texts' years in the Buddhist era (2026 → 2569)
 * @param flexibleApproved LINE approved this account for flexible LINE notification messages (a prior UX review,
 *                       ../shared/line-api/README.md §4.1); without it sending one breaks LINE's terms
 * @param japaneseEra    show Japanese texts' years in the Japanese era (2026 → 令和8年)
 * @param rocYear        show Taiwanese texts' years as Republic of China years (2026 → 民國115年)
 * @param channelId      LINE's channel ID, when the hub issues its own short-lived channel access tokens
 *                       ({@code POST /oauth2/v3/token} with the channel ID and secret, {@link ChannelTokens}); null
 *                       when {@code accessToken} is given instead
 */
public record LineChannel(String name, String accessToken, String channelSecret, URI baseUrl, String country, String defaultLanguage,
                          boolean buddhistEra, boolean flexibleApproved, boolean japaneseEra, boolean rocYear, String channelId) {

    public LineChannel {
        if ((accessToken == null) == (channelId == null)) {
            throw new IllegalArgumentException("LINE channel " + name + " needs an access token or a channel ID, one of the two");
        }
    }

    public LineChannel(String name, String accessToken, String channelSecret, URI baseUrl, String country, String defaultLanguage,
                       boolean buddhistEra, boolean flexibleApproved, boolean japaneseEra, boolean rocYear) {
        this(name, accessToken, channelSecret, baseUrl, country, defaultLanguage, buddhistEra, flexibleApproved, japaneseEra, rocYear, null);
    }

    /** Whether the hub issues this channel's access tokens itself (from its channel ID and secret). */
    public boolean issuesTokens() {
        return channelId != null;
    }

    public LineChannel(String name, String accessToken, String channelSecret, URI baseUrl, String country, String defaultLanguage) {
        this(name, accessToken, channelSecret, baseUrl, country, defaultLanguage, "TH".equals(country), false, false, false);
    }

    /** Never prints the token or the secret. */
    @Override
    public String toString() {
        return LineChannel.class.getSimpleName() + "[name=" + name + ", baseUrl=" + baseUrl + ", country=" + country + ", flexibleApproved=" + flexibleApproved
                + (channelId != null ? ", channelId=" + channelId + " (tokens issued by the hub)" : ", accessToken=" + mask(accessToken)) + ", channelSecret=" + mask(channelSecret) + "]";
    }

    private static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "***";
    }
}
