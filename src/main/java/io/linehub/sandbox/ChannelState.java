package io.linehub.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Per-channel state of the emulated LINE platform: friend list, groups/rooms, monthly quota and usage,
 * retry keys, narrowcasts and per-day sent counts. Thread-safe.
 */
final class ChannelState {

    static final Pattern USER_ID = Pattern.compile("^U[0-9a-f]{32}$");
    static final Pattern GROUP_OR_ROOM_ID = Pattern.compile("^[CR][0-9a-f]{32}$");
    /** Statistics days are counted in UTC+9 (README §4.6, §7). */
    static final ZoneOffset STATS_ZONE = ZoneOffset.ofHours(9);
    /** LINE remembers a retry key for 24 hours from the first request (README §3). */
    static final Duration RETRY_KEY_TTL = Duration.ofHours(24);

    /** Per-day counters kept for the delivery statistics endpoints (README §4.6, §7). */
    enum Counter { PNP_TEMPLATED, PNP_FLEXIBLE, PUSH, MULTICAST, BROADCAST }

    /** An accepted request carrying a retry key; {@code sentMessages} only for push. */
    record AcceptedKey(Instant at, String requestId, List<Map<String, String>> sentMessages) {
    }

    /** One accepted narrowcast (README §5.4). */
    record Narrowcast(String requestId, Instant acceptedAt, long targetCount, Integer errorCode) {
    }

    private final SandboxChannel channel;
    private final String botUserId;
    private final AtomicLong acceptedTemplateLons = new AtomicLong();
    private final AtomicLong tokensIssued = new AtomicLong();
    /** userId -> true while a friend, false after blocking (unfollow). */
    private final Map<String, Boolean> friends = new ConcurrentHashMap<>();
    private final Map<String, Integer> groups = new ConcurrentHashMap<>();
    private volatile Long quota;
    private final AtomicLong usage = new AtomicLong();
    private final Map<String, AcceptedKey> retryKeys = new ConcurrentHashMap<>();
    private final Map<String, Narrowcast> narrowcasts = new ConcurrentHashMap<>();
    private final Map<Counter, Map<LocalDate, AtomicLong>> daily = new ConcurrentHashMap<>();

    ChannelState(SandboxChannel channel, Long quota) {
        this.channel = channel;
        this.botUserId = botUserIdFor(channel.name());
        this.quota = quota;
    }

    void tokenIssued() {
        tokensIssued.incrementAndGet();
    }

    /** Channel access tokens issued for this channel by POST /oauth2/v3/token. */
    long tokensIssued() {
        return tokensIssued.get();
    }

    SandboxChannel channel() {
        return channel;
    }

    String name() {
        return channel.name();
    }

    /** The bot's user ID sent as webhook {@code destination}: "U" + 32 hex, stable per channel name. */
    String botUserId() {
        return botUserId;
    }

    AtomicLong acceptedTemplateLons() {
        return acceptedTemplateLons;
    }

    // ---- friends, groups

    /** Previous state: null (unknown), TRUE (friend), FALSE (blocked). */
    Boolean setFriend(String userId, boolean following) {
        return friends.put(userId, following);
    }

    /** null when the user ID is unknown to the channel, TRUE when a friend, FALSE when the user blocked the OA. */
    Boolean friendState(String userId) {
        return friends.get(userId);
    }

    List<String> followers() {
        return friends.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    long followerCount() {
        return friends.values().stream().filter(Boolean::booleanValue).count();
    }

    void setGroup(String id, int members) {
        groups.put(id, members);
    }

    Integer groupMembers(String id) {
        return groups.get(id);
    }

    // ---- quota

    Long quota() {
        return quota;
    }

    void quota(Long limit) {
        this.quota = limit;
    }

    AtomicLong usage() {
        return usage;
    }

    /**
     * Adds {@code recipients} to this month's usage unless that would pass the target limit
     * (README §7: then sends fail with 429 and nothing is sent).
     */
    boolean consume(long recipients) {
        while (true) {
            Long limit = quota;
            long used = usage.get();
            if (limit != null && (used >= limit || used + recipients > limit)) {
                return false;
            }
            if (usage.compareAndSet(used, used + recipients)) {
                return true;
            }
        }
    }

    // ---- retry keys

    /**
     * Claims a retry key: null when it was free (or its 24 h had passed) and is now held by {@code mine};
     * else the earlier accepted request.
     */
    private volatile Instant lastRetryKeyPrune;

    AcceptedKey claimRetryKey(String key, AcceptedKey mine) {
        AcceptedKey[] prior = new AcceptedKey[1];
        retryKeys.compute(key, (k, old) -> {
            if (old != null && mine.at().isBefore(old.at().plus(RETRY_KEY_TTL))) {
                prior[0] = old;
                return old;
            }
            return mine;
        });
        // expired keys are dropped now and then (at most once a minute), not on every request: a scan of every
        // remembered key per request made a busy sandbox slower with every push it had accepted
        Instant last = lastRetryKeyPrune;
        if (prior[0] == null && retryKeys.size() > 10_000 && (last == null || mine.at().isAfter(last.plusSeconds(60)))) {
            lastRetryKeyPrune = mine.at();
            Instant horizon = mine.at().minus(RETRY_KEY_TTL);
            retryKeys.values().removeIf(a -> !a.at().isAfter(horizon));
        }
        return prior[0];
    }

    /** A request that claimed a key but then failed gives it back. */
    void releaseRetryKey(String key, AcceptedKey mine) {
        retryKeys.remove(key, mine);
    }

    // ---- narrowcasts

    void addNarrowcast(Narrowcast n) {
        narrowcasts.put(n.requestId(), n);
    }

    Narrowcast narrowcast(String requestId) {
        return narrowcasts.get(requestId);
    }

    // ---- per-day counts

    void count(Counter counter, Instant at, long n) {
        LocalDate day = at.atOffset(STATS_ZONE).toLocalDate();
        daily.computeIfAbsent(counter, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(day, d -> new AtomicLong()).addAndGet(n);
    }

    long counted(Counter counter, LocalDate day) {
        AtomicLong n = daily.getOrDefault(counter, Map.of()).get(day);
        return n == null ? 0 : n.get();
    }

    static String botUserIdFor(String channelName) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("line-sandbox-bot:" + channelName).getBytes(StandardCharsets.UTF_8));
            return "U" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
