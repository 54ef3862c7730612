package io.linehub.outbox;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Notification IDs are UUIDv7: unique, and each one sorts after the one before (new rows go to the end of an index). */
class NotificationIdsTest {

    @Test
    void idsAreVersionSevenUuidsThatSortInTheOrderTheyWereMade() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(NotificationIds.newId());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("id %d after id %d", i, i - 1).isGreaterThan(ids.get(i - 1));
        }
        UUID first = UUID.fromString(ids.get(0));
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        // the first 48 bits are the Unix time in milliseconds
        assertThat(first.getMostSignificantBits() >>> 16).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    }
}
