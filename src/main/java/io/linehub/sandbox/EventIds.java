package io.linehub.sandbox;

import java.util.Random;

/**
 * ULID-like webhook event IDs (README §10.3: {@code webhookEventId} is a ULID): 26 Crockford base32
 * characters, 48-bit millisecond time + 80 random bits from a seeded generator. Monotonic within one
 * millisecond, so every ID handed out by one instance is unique. Thread-safe.
 */
final class EventIds {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Random random;
    private long lastMillis = -1;
    private long randHi; // upper 16 of the 80 random bits
    private long randLo; // lower 64

    EventIds(long seed) {
        this.random = new Random(seed);
    }

    synchronized String next(long epochMillis) {
        if (epochMillis <= lastMillis) {
            // same (or earlier) millisecond: increment the random part, ULID "monotonic" rule
            epochMillis = lastMillis;
            randLo++;
            if (randLo == 0) {
                randHi = (randHi + 1) & 0xFFFF;
                if (randHi == 0) { // 80-bit overflow: move on to the next millisecond
                    epochMillis++;
                    randHi = random.nextInt(1 << 16);
                    randLo = random.nextLong();
                }
            }
        } else {
            randHi = random.nextInt(1 << 16);
            randLo = random.nextLong();
        }
        lastMillis = epochMillis;
        char[] out = new char[26];
        long t = epochMillis & 0xFFFF_FFFF_FFFFL;
        for (int i = 9; i >= 0; i--) { // 10 chars for 48 bits (top 2 bits zero)
            out[i] = CROCKFORD[(int) (t & 31)];
            t >>>= 5;
        }
        // 80 random bits = 16 chars of 5 bits: hi(16) followed by lo(64)
        long lo = randLo;
        long hi = randHi;
        for (int i = 25; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}
