package io.seedmq.messaging.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RecentIds: a request id seen again is recognised while it is among the last ones")
class RecentIdsTest {

    @Test
    @DisplayName("an id is new once, then known until as many newer ids have come")
    void remembersTheLastIds() {
        RecentIds recent = new RecentIds(3);
        assertTrue(recent.firstTime("a"));
        assertFalse(recent.firstTime("a"));
        assertTrue(recent.firstTime("b"));
        assertTrue(recent.firstTime("c"));
        assertFalse(recent.firstTime("a"), "still among the last three");
        assertTrue(recent.firstTime("d"));
        assertTrue(recent.firstTime("a"), "the oldest is forgotten");
        assertFalse(recent.firstTime("d"));
    }

    @Test
    @DisplayName("the same id from many threads at once is new for exactly one of them")
    void oneWinnerAcrossThreads() throws Exception {
        RecentIds recent = new RecentIds(4096);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                String id = "id-" + round;
                AtomicInteger winners = new AtomicInteger();
                CountDownLatch start = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(4);
                for (int t = 0; t < 4; t++) {
                    pool.execute(() -> {
                        try {
                            start.await(10, TimeUnit.SECONDS);
                            if (recent.firstTime(id)) {
                                winners.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            done.countDown();
                        }
                    });
                }
                start.countDown();
                assertTrue(done.await(10, TimeUnit.SECONDS));
                assertEquals(1, winners.get(), id);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
