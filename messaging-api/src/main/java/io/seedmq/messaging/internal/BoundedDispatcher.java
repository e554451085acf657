package io.seedmq.messaging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on an executor, at most {@code limit} at once, in the order they were submitted, and
 * hands back the ones that have not started. Works the same on an executor of seedmq's own and on
 * one the application supplied: tasks wait in a queue of this class, and at most {@code limit}
 * runners take them from it, so the executor never holds more than {@code limit} of our runners
 * and nothing submitted is hidden inside it. With a limit of 1, tasks run one at a time in order.
 *
 * <p>A new runner starts only when every runner is running a task: while one is between tasks it
 * takes the next itself. A stream of short tasks is then run by as few threads as keep up with it,
 * instead of each task waking another thread (a context switch per task), and a task submitted
 * while every runner is held up by a long one still starts at once on a runner of its own.
 *
 * @param <T> the task type
 */
final class BoundedDispatcher<T extends Runnable> {

    private final Executor executor;
    private final int limit;
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runners = new AtomicInteger();
    /** Runners that will poll {@link #pending} before they run anything else: started, or between tasks. */
    private final AtomicInteger searching = new AtomicInteger();

    /**
     * @param executor runs the runners
     * @param limit most tasks running at once
     */
    BoundedDispatcher(Executor executor, int limit) {
        this.executor = executor;
        this.limit = limit;
    }

    /**
     * Queues a task, and starts a runner unless one is between tasks (it takes this one) or the
     * limit runs.
     *
     * @param task the task
     * @throws RejectedExecutionException when the executor refuses a runner and none runs to take
     *     the task; the task is then no longer queued
     */
    void submit(T task) {
        pending.add(task);
        // A searching runner polls after this add (or, leaving, sees the task and starts a runner).
        if (searching.get() == 0) {
            startRunner(task);
        }
    }

    /** @return the tasks that have not started, removed from the queue: the caller gives them back */
    List<T> drain() {
        List<T> left = new ArrayList<>();
        T t;
        while ((t = pending.poll()) != null) {
            left.add(t);
        }
        return left;
    }

    private void startRunner(T submitted) {
        while (true) {
            int n = runners.get();
            if (n >= limit || pending.isEmpty()) {
                return;
            }
            if (runners.compareAndSet(n, n + 1)) {
                searching.incrementAndGet();
                try {
                    executor.execute(this::run);
                } catch (RejectedExecutionException e) {
                    searching.decrementAndGet();
                    runners.decrementAndGet();
                    // Nobody else will take the task if no runner is left: refuse it to the submitter.
                    if (submitted != null && runners.get() == 0 && pending.remove(submitted)) {
                        throw e;
                    }
                }
                return;
            }
        }
    }

    private void run() {
        try {
            T t;
            while ((t = pending.poll()) != null) {
                // Taking a task while others wait and nobody else will poll: another runner takes them.
                if (searching.decrementAndGet() == 0 && !pending.isEmpty()) {
                    startRunner(null);
                }
                try {
                    t.run();
                } finally {
                    searching.incrementAndGet();
                }
            }
        } finally {
            searching.decrementAndGet();
            runners.decrementAndGet();
        }
        // A task queued after the last poll may have counted on this runner (it was searching), or
        // found the limit reached: take it.
        if (!pending.isEmpty()) {
            startRunner(null);
        }
    }
}
