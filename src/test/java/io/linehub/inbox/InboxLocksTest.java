package io.linehub.inbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared inbox lock on H2: one holder at a time, a dead holder's lock taken over after the maximum age, never earlier. */
class InboxLocksTest {

    private HikariDataSource db;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T02:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void database() {
        db = Database.open("locks", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", null, null, 4);
        Database.migrate(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void oneHolderAtATimeAndADeadHoldersLockIsTakenOverOnlyAfterTheMaximumAge() {
        InboxLocks a = new InboxLocks(db, Duration.ofSeconds(30), clock);
        InboxLocks b = new InboxLocks(db, Duration.ofSeconds(30), clock);
        String file = "/data/inbox/orders.csv";

        assertThat(a.add(file)).isTrue();
        assertThat(b.add(file)).as("held by a").isFalse();
        assertThat(b.contains(file)).isTrue();
        assertThat(b.remove(file)).as("b never deletes a's lock").isFalse();
        assertThat(b.add(file)).isFalse();

        now.set(now.get().plusSeconds(20));
        a.refresh(); // a is alive: its lock stays fresh
        now.set(now.get().plusSeconds(20));
        assertThat(b.add(file)).as("refreshed 20 s ago").isFalse();

        now.set(now.get().plusSeconds(31)); // a died: no refresh for longer than the maximum age
        assertThat(b.contains(file)).isFalse();
        assertThat(b.add(file)).as("taken over").isTrue();
        assertThat(a.add(file)).isFalse();

        assertThat(b.remove(file)).isTrue();
        assertThat(a.add(file)).as("released").isTrue();
    }
}
