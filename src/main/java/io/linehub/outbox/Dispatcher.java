package io.linehub.outbox;

import java.util.List;

/** The outbox-dispatcher route's step: claims due notifications, no more than the senders can take in time. */
public class Dispatcher {

    static final int MIN_AHEAD = 50;

    private final Claims claims;
    private final InFlight inFlight;

    public Dispatcher(Claims claims, InFlight inFlight) {
        this.claims = claims;
        this.inFlight = inFlight;
    }

    /**
     * Claims as many due notifications as may be held in memory ({@code maxInFlight}: in the hand-over queue, in
     * the throttle, at LINE), so none waits long enough for its lease to run out.
     */
    public List<OutboxEntry> claim(int batchSize, int maxInFlight) {
        // claim while fewer than about two seconds of what the senders finish lately are held (never more than
        // maxInFlight); a claim takes up to batchSize rows, so packed pushes still fill whole multicasts
        int ahead = (int) Math.min(maxInFlight, Math.max(MIN_AHEAD, 2 * inFlight.recentRate()));
        if (inFlight.held() >= ahead) {
            return List.of();
        }
        List<OutboxEntry> claimed = claims.claimDue(batchSize);
        inFlight.claimed(claimed.size());
        return claimed;
    }
}
