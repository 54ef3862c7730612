package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import io.linehub.testsupport.PostgresSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims with several channels (issue 14): one channel's backlog, queued first, does not hold up the others' —
 * each claim shares its rows among the channels with due rows, no channel over the room it is given — and every row
 * is still claimed once, those of a channel no longer configured included. On H2 and on PostgreSQL (where the
 * per-channel index is partial).
 */
class FairClaimsTest {

    private static final OutboxSettings SETTINGS = OutboxSettings.unpacked(Duration.ofSeconds(60), 5);

    interface Body {
        void run(HikariDataSource db) throws Exception;
    }

    private static void onDatabase(String kind, Body body) throws Exception {
        if (kind.equals("postgresql")) {
            try (PostgresSchema schema = PostgresSchema.create("fair-claims")) {
                body.run(schema.db());
            }
        } else {
            try (HikariDataSource h2 = Database.open("fair-claims", "jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", null, 4)) {
                Database.migrate(h2);
                body.run(h2);
            }
        }
    }

    private static void queue(NotificationQueue queue, String channel, int n) {
        List<NewNotification> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(NewNotification.lonTemplate("shipping_complete", channel, "C-" + channel + i, "h" + channel + i, "+66 8xxxx5678",
                    "TH", "th", "{}", "{\"to\":\"h\"}", null, channel + "-" + i));
        }
        assertThat(queue.enqueueAll(batch)).allSatisfy(o -> assertThat(o.result().status()).isEqualTo(NotificationStatus.QUEUED));
    }

    private static Map<String, Long> byChannel(List<OutboxEntry> claimed) {
        return claimed.stream().collect(Collectors.groupingBy(OutboxEntry::channel, TreeMap::new, Collectors.counting()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBacklogQueuedFirstDoesNotHoldUpTheOtherChannels(String kind) throws Exception {
        onDatabase(kind, db -> {
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), SETTINGS);
            queue(queue, "default", 1500); // older than all the others
            queue(queue, "brand-b", 200);
            queue(queue, "brand-c", 200);
            Claims claims = new Claims(db, Clock.systemUTC(), "node-a", SETTINGS).withChannels(List.of("default", "brand-b", "brand-c"));

            // oldest first would be 300 of default; shared, each channel gets its third
            assertThat(byChannel(claims.claimDue(300))).isEqualTo(Map.of("brand-b", 100L, "brand-c", 100L, "default", 100L));
            // brand-b and brand-c have 100 left each: their shares are 100, default takes its share of 100 too
            assertThat(byChannel(claims.claimDue(450))).isEqualTo(Map.of("brand-b", 100L, "brand-c", 100L, "default", 150L));
            // only default has due rows now: a claim takes what it can of it, the next claims the rest
            List<OutboxEntry> rest = new ArrayList<>();
            for (List<OutboxEntry> c = claims.claimDue(500); !c.isEmpty(); c = claims.claimDue(500)) {
                rest.addAll(c);
            }
            assertThat(byChannel(rest)).isEqualTo(Map.of("default", 1250L));
            assertThat(count(db, "SELECT COUNT(*) FROM notification WHERE status = 'SENDING'")).isEqualTo(1900);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aChannelGetsNoMoreThanItsRoomAndNoneWhenItHasNone(String kind) throws Exception {
        onDatabase(kind, db -> {
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), SETTINGS);
            queue(queue, "slow", 400);
            queue(queue, "fast", 400);
            Claims claims = new Claims(db, Clock.systemUTC(), "node-a", SETTINGS).withChannels(List.of("slow", "fast"));

            assertThat(byChannel(claims.claimDue(400, Map.of("slow", 30, "fast", 1000)))).isEqualTo(Map.of("fast", 200L, "slow", 30L));
            assertThat(byChannel(claims.claimDue(400, Map.of("slow", 0, "fast", 1000)))).isEqualTo(Map.of("fast", 200L));
            // one channel alone, with less room than the claim: never more than its room
            Claims single = new Claims(db, Clock.systemUTC(), "node-b", SETTINGS).withChannels(List.of("slow"));
            assertThat(byChannel(single.claimDue(500, Map.of("slow", 70)))).isEqualTo(Map.of("slow", 70L));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsOfAChannelNoLongerConfiguredAreClaimedWithWhatIsLeftAndEveryRowOnce(String kind) throws Exception {
        onDatabase(kind, db -> {
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), SETTINGS);
            queue(queue, "retired", 50); // a channel taken out of the channels file, oldest of all
            queue(queue, "default", 120);
            queue(queue, "brand-b", 30);
            Claims claims = new Claims(db, Clock.systemUTC(), "node-a", SETTINGS).withChannels(List.of("default", "brand-b"));

            // the known channels first (default 100 of its share, brand-b its 30), the retired one with what is left
            List<OutboxEntry> first = claims.claimDue(200);
            assertThat(byChannel(first)).isEqualTo(Map.of("brand-b", 30L, "default", 100L, "retired", 50L));
            // a channel the hub does not know but has no room for (its sender is full) gets none
            queue(queue, "retired", 10);
            List<OutboxEntry> noRoom = claims.claimDue(200, Map.of("retired", 0));
            assertThat(byChannel(noRoom)).isEqualTo(Map.of("default", 20L));
            List<OutboxEntry> all = new ArrayList<>(first);
            all.addAll(noRoom);
            for (List<OutboxEntry> c = claims.claimDue(200); !c.isEmpty(); c = claims.claimDue(200)) {
                all.addAll(c);
            }
            Set<String> ids = new HashSet<>();
            assertThat(all).allSatisfy(e -> assertThat(ids.add(e.id())).as("claimed once: %s", e.id()).isTrue());
            assertThat(ids).hasSize(210);
        });
    }

    @org.junit.jupiter.api.Test
    void theDispatcherGivesEachChannelRoomForTwoSecondsOfItsBudgetAndNoMore() throws Exception {
        onDatabase("h2", db -> {
            NotificationQueue queue = new NotificationQueue(db, Clock.systemUTC(), SETTINGS);
            queue(queue, "slow", 300); // a channel allowed 30 requests a second: room for 60 claimed at once
            queue(queue, "fast", 300);
            InFlight inFlight = new InFlight();
            Dispatcher dispatcher = new Dispatcher(new Claims(db, Clock.systemUTC(), "node-a", SETTINGS).withChannels(List.of("slow", "fast")),
                    inFlight).withChannelRates(Map.of("slow", 30, "fast", 1000));

            List<OutboxEntry> first = dispatcher.claim(500, 4000);
            assertThat(byChannel(first)).isEqualTo(Map.of("fast", 250L, "slow", 60L));
            assertThat(inFlight.heldBy("slow")).isEqualTo(60);
            // the fast channel's sends finish; once a second has passed the hub may hold more (its recent rate)
            org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
            first.stream().filter(e -> e.channel().equals("fast")).forEach(e -> inFlight.release(finished(camel, e)));
            long second = System.currentTimeMillis() / 1000;
            while (System.currentTimeMillis() / 1000 == second) {
                Thread.sleep(20);
            }
            // the slow channel still holds its 60: none of it is claimed, the fast one's rows are
            assertThat(byChannel(dispatcher.claim(500, 4000))).isEqualTo(Map.of("fast", 50L));
            // its sends finish: it has room again
            first.stream().filter(e -> e.channel().equals("slow")).limit(20).forEach(e -> inFlight.release(finished(camel, e)));
            assertThat(byChannel(dispatcher.claim(500, 4000))).isEqualTo(Map.of("slow", 20L));
        });
    }

    private static org.apache.camel.Exchange finished(org.apache.camel.CamelContext camel, OutboxEntry entry) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.setProperty(io.linehub.headers.HubHeaders.OUTBOX_ENTRY, entry);
        return exchange;
    }

    private static int count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
