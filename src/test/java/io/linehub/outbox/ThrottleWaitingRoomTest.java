package io.linehub.outbox;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery throttle's waiting room keeps every key's permits: a burst that begins just before Camel's
 * throttle would forget the key (ten seconds after the last permit came back) still gets only the budget.
 */
class ThrottleWaitingRoomTest {

    private static final int BUDGET = 3;
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void runsTasksForNowButNoDelayedOnes() throws Exception {
        ThrottleWaitingRoom room = new ThrottleWaitingRoom(1, Thread::new);
        try {
            CountDownLatch now = new CountDownLatch(2);
            AtomicInteger delayed = new AtomicInteger();
            room.execute(now::countDown);
            room.submit(now::countDown);
            ScheduledFuture<?> later = room.schedule(() -> {
                delayed.incrementAndGet();
            }, 50, TimeUnit.MILLISECONDS);
            ScheduledFuture<Integer> laterWithResult = room.schedule(delayed::incrementAndGet, 50, TimeUnit.MILLISECONDS);
            assertThat(now.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            assertThat(delayed).hasValue(0);
            assertThat(later.isDone()).isTrue();
            assertThat(later.isCancelled()).isTrue();
            assertThat(laterWithResult.isCancelled()).isTrue();
        } finally {
            room.shutdownNow();
        }
    }

    /**
     * The production throttle's shape (ConcurrentRequests, correlated, asyncDelayed, the permit held by an async
     * delay), budget 3, on two waiting rooms at once: Camel's plain scheduled pool and ours. One exchange passes
     * just before t = 0; three that hold their permits 2 s start at t = 9.3 s; three more come at t = 10.5 s,
     * after Camel's clean-up (about t = 10 s), while the first three still hold theirs. Ours makes them wait; the plain pool lets them
     * through at once (which is why the hub does not use it: LINE would see twice the budget).
     */
    @Test
    void aBurstJustBeforeTheCleanUpStillGetsOnlyTheBudget() throws Exception {
        ScheduledThreadPoolExecutor plain = new ScheduledThreadPoolExecutor(2);
        ThrottleWaitingRoom ours = new ThrottleWaitingRoom(2, Thread::new);
        context = new DefaultCamelContext();
        context.getRegistry().bind("plain", plain);
        context.getRegistry().bind("ours", ours);
        CopyOnWriteArrayList<Long> plainPassed = new CopyOnWriteArrayList<>();
        CopyOnWriteArrayList<Long> oursPassed = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong start = new java.util.concurrent.atomic.AtomicLong();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String room : new String[] {"plain", "ours"}) {
                    CopyOnWriteArrayList<Long> passed = room.equals("plain") ? plainPassed : oursPassed;
                    from("seda:" + room + "?concurrentConsumers=10")
                            .throttle(constant(BUDGET)).correlationExpression(constant("acme:push")).concurrentRequestsMode()
                            .asyncDelayed().executorService(room)
                            .process(e -> passed.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start.get())))
                            .end()
                            .delay(header("hold")).asyncDelayed();
                }
            }
        });
        context.start();
        ProducerTemplate producer = context.createProducerTemplate();
        start.set(System.nanoTime());
        for (String room : new String[] {"plain", "ours"}) {
            producer.sendBodyAndHeader("seda:" + room, "first", "hold", 0);
        }
        // the timeline starts when both first exchanges have passed and given their permits back
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> plainPassed.size() == 1 && oursPassed.size() == 1);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        start.set(t0);
        sleepUntil(t0, 9_300);
        for (int i = 0; i < BUDGET; i++) {
            for (String room : new String[] {"plain", "ours"}) {
                producer.sendBodyAndHeader("seda:" + room, "burst", "hold", 2_000);
            }
        }
        sleepUntil(t0, 10_500);
        for (int i = 0; i < BUDGET; i++) {
            for (String room : new String[] {"plain", "ours"}) {
                producer.sendBodyAndHeader("seda:" + room, "more", "hold", 0);
            }
        }
        sleepUntil(t0, 13_000);
        // ours: the last three passed only when the burst's permits came back (about t = 11.3 s)
        assertThat(oursPassed).hasSize(1 + 2 * BUDGET);
        assertThat(oursPassed.subList(1, 1 + BUDGET)).allSatisfy(t -> assertThat(t).isBetween(9_300L, 10_000L));
        assertThat(oursPassed.subList(1 + BUDGET, oursPassed.size())).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(11_200));
        // Camel's plain pool forgot the burst's permits at t = 10 s: the last three passed at once, six at a time
        assertThat(plainPassed).hasSize(1 + 2 * BUDGET);
        assertThat(plainPassed.subList(1 + BUDGET, plainPassed.size())).allSatisfy(t -> assertThat(t).isLessThan(11_200));
        plain.shutdownNow();
        ours.shutdownNow();
    }

    private static void sleepUntil(long t0, long millis) throws InterruptedException {
        long left = millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (left > 0) {
            Thread.sleep(left);
        }
    }
}
