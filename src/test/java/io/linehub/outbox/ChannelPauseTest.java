package io.linehub.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.linehub.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two outcome writers that meet LINE's monthly limit at the same moment both pause the channel (as the delivery
 * benchmark's and DeliveryEngineTest's two writers do): neither may fail or wait, and one pause stays.
 */
class ChannelPauseTest {

    @Test
    void twoWritersPausingTheSameChannelAtOnceBothSucceedQuickly(@TempDir Path dir) throws Exception {
        try (HikariDataSource db = Database.open("pause-test", Database.embeddedH2Url(dir), null, null, 4)) {
            Database.migrate(db);
            ChannelPauses channelPauses = new ChannelPauses(db, Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 50; round++) {
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<?>> pauses = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        String reason = "monthly limit, round " + round + ", writer " + w;
                        pauses.add(pool.submit(() -> {
                            together.await();
                            channelPauses.pause("default", OffsetDateTime.now().plusHours(1), reason);
                            return null;
                        }));
                    }
                    for (Future<?> p : pauses) {
                        p.get(500, TimeUnit.MILLISECONDS); // a failure or a wait for the other's lock shows here
                    }
                    assertThat(channelPauses.paused()).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
