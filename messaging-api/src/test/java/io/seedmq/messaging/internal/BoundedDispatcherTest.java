package io.seedmq.messaging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BoundedDispatcher: at most a limit at once, in order, as few threads as keep up")
class BoundedDispatcherTest {

    /** Holds the runners it is given until the test runs them, and counts them. */
    private static final class HeldExecutor implements Executor {
        final List<Runnable> runners = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable command) {
            runners.add(command);
        }

        synchronized Runnable take(int i) {
            return runners.get(i);
        }

        synchronized int count() {
            return runners.size();
        }
    }

    @Test
    @DisplayName("tasks submitted while a runner has yet to take one wait for it: one runner, tasks in order")
    void oneRunnerWhileOneSearches() {
        HeldExecutor executor = new HeldExecutor();
        BoundedDispatcher<Runnable> dispatcher = new BoundedDispatcher<>(executor, 4);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            dispatcher.submit(() -> ran.add(n));
        }
        assertEquals(1, executor.count(), "the first runner takes them all; no thread woken per task");
        executor.take(0).run();
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
    }

    @Test
    @DisplayName("a task submitted while every runner is held up by a long one starts at once, up to the limit")
    void noTaskWaitsBehindALongOne() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            BoundedDispatcher<Runnable> dispatcher = new BoundedDispatcher<>(pool, 2);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch longStarted = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Runnable counted = () -> most.accumulateAndGet(running.incrementAndGet(), Math::max);
            dispatcher.submit(() -> {
                counted.run();
                longStarted.countDown();
                await(release);
                running.decrementAndGet();
            });
            assertTrue(longStarted.await(10, TimeUnit.SECONDS));
            CountDownLatch shortRan = new CountDownLatch(1);
            dispatcher.submit(() -> {
                counted.run();
                shortRan.countDown();
                await(release);
                running.decrementAndGet();
            });
            assertTrue(shortRan.await(10, TimeUnit.SECONDS), "the second task ran beside the blocked first");
            CountDownLatch thirdRan = new CountDownLatch(1);
            dispatcher.submit(thirdRan::countDown);
            assertEquals(1, thirdRan.getCount(), "a third waits: the limit of 2 runs");
            assertEquals(2, most.get());
            release.countDown();
            assertTrue(thirdRan.await(10, TimeUnit.SECONDS), "a runner that finished took the third");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a runner that takes a task while others wait starts another for them")
    void takingATaskWithOthersWaitingStartsAnother() {
        HeldExecutor executor = new HeldExecutor();
        BoundedDispatcher<Runnable> dispatcher = new BoundedDispatcher<>(executor, 3);
        List<String> ran = new CopyOnWriteArrayList<>();
        dispatcher.submit(() -> {
            ran.add("first");
            // While the first runs, the second (queued before the runner started) has a runner of its own.
            assertEquals(2, executor.count());
            executor.take(1).run();
        });
        dispatcher.submit(() -> ran.add("second"));
        assertEquals(1, executor.count());
        executor.take(0).run();
        assertEquals(List.of("first", "second"), ran);
    }

    @Test
    @DisplayName("tasks not started are handed back by drain; a refused runner refuses the task to its submitter")
    void drainAndRefusal() {
        HeldExecutor executor = new HeldExecutor();
        BoundedDispatcher<Runnable> dispatcher = new BoundedDispatcher<>(executor, 1);
        Runnable a = () -> { };
        Runnable b = () -> { };
        dispatcher.submit(a);
        dispatcher.submit(b);
        assertEquals(List.of(a, b), dispatcher.drain());
        executor.take(0).run();

        BoundedDispatcher<Runnable> refusing = new BoundedDispatcher<>(command -> {
            throw new RejectedExecutionException("shut down");
        }, 2);
        assertThrows(RejectedExecutionException.class, () -> refusing.submit(a));
        assertEquals(List.of(), refusing.drain(), "the refused task is not left queued");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
