package io.seedmq.messaging.retry;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.PublishRejectedException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an operation is retried when it fails for a reason that may go away: one policy for connect,
 * declare, publish, RPC calls, notifications and the worker's reconnect loop. Immutable and
 * thread-safe; build with {@link #builder()} or take a factory ({@link #none()}, {@link #forever()},
 * {@link #defaults()}).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(5)                              // the first try and 4 retries
 *         .initialInterval(Duration.ofMillis(200))
 *         .multiplier(2)
 *         .maxInterval(Duration.ofSeconds(5))          // the cap
 *         .jitter(0.5)                                 // each wait is drawn from ±50 % of its value
 *         .build();
 * QueueInfo info = policy.execute("declare orders", () -> connection.declare(queue));
 * }</pre>
 *
 * <p>Runs on resilience4j-retry ({@link Retry}, {@link IntervalFunction#ofExponentialRandomBackoff}).
 * The wait before retry {@code n} (1-based) is {@code initialInterval × multiplier^(n-1)}, capped at
 * {@code maxInterval}, then randomised by the jitter factor.
 *
 * <p>Which failures are retried ({@link #isRetryable}): by default {@link ConnectionException}
 * (the connection or channel was lost, the broker could not be reached),
 * {@link OperationTimeoutException} and {@link PublishRejectedException} (the broker nacked); never
 * {@link AuthenticationException}, {@link ConnectionClosedException} (the application closed the connection), {@link AccessRefusedException},
 * {@link DeclarationConflictException} (precondition failed), {@link DecodeException}, {@link EncodeException},
 * {@link ContentDisallowedException} or anything that is not a {@link MessagingException}:
 * retrying those fails the same way. A non-retryable failure is thrown at once; when the attempts
 * run out the last failure is thrown as it was, so callers catch the same typed exceptions with or
 * without a policy.
 *
 * <p>Every retry is logged once, at WARN, with the operation, the attempt number and the wait; giving
 * up is logged once at WARN too. Operations retried are repeated whole: a publish retried after
 * an unconfirmed attempt may reach the queue twice (at-least-once), never zero times unnoticed.
 */
public final class RetryPolicy {

    /** Attempts of {@link #defaults()}: the first and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The first wait unless told otherwise. */
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(200);
    /** How much each wait grows unless told otherwise. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The longest wait unless told otherwise. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(10);
    /** The randomisation factor unless told otherwise: each wait is drawn from ±this fraction of it. */
    public static final double DEFAULT_JITTER = 0.2;
    /** {@link #maxAttempts()} of a policy that retries forever. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final Predicate<Throwable> DEFAULT_RETRYABLE = RetryPolicy::transientFailure;
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy FOREVER = builder().forever().build();

    private final int maxAttempts;
    private final Duration initialInterval;
    private final double multiplier;
    private final Duration maxInterval;
    private final double jitter;
    private final Predicate<Throwable> retryable;
    private final RetryConfig config;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialInterval = b.initialInterval;
        this.multiplier = b.multiplier;
        this.maxInterval = b.maxInterval;
        this.jitter = b.jitter;
        this.retryable = b.retryable;
        IntervalFunction interval = jitter == 0
                ? IntervalFunction.ofExponentialBackoff(initialInterval, multiplier, maxInterval)
                : IntervalFunction.ofExponentialRandomBackoff(initialInterval, multiplier, jitter, maxInterval);
        this.config = RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(interval)
                .retryOnException(e -> retryable.test(unwrap(e)))
                .failAfterMaxAttempts(false)
                .build();
    }

    /** @return a builder with the defaults of {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a policy that tries once and never retries */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * @return {@value #DEFAULT_MAX_ATTEMPTS} attempts, waits from 200 ms doubling, capped at 10 s,
     *     jitter 0.2: the policy of a {@link io.seedmq.messaging.ConnectionOptions} unless set
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a policy that retries retryable failures without limit, with the default back-off */
    public static RetryPolicy forever() {
        return FOREVER;
    }

    /** @return how many times an operation runs at most, the first included; {@link #UNLIMITED} for forever */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return whether it retries without limit */
    public boolean isForever() {
        return maxAttempts == UNLIMITED;
    }

    /** @return the wait before the first retry, before jitter */
    public Duration initialInterval() {
        return initialInterval;
    }

    /** @return the growth of each wait */
    public double multiplier() {
        return multiplier;
    }

    /** @return the cap on a wait, before jitter */
    public Duration maxInterval() {
        return maxInterval;
    }

    /** @return the randomisation factor, in [0, 1) */
    public double jitter() {
        return jitter;
    }

    /**
     * @param failure a failure (a {@link java.util.concurrent.CompletionException} is looked into)
     * @return whether this policy retries it
     */
    public boolean isRetryable(Throwable failure) {
        return retryable.test(unwrap(failure));
    }

    /**
     * The wait before retry {@code retry} (1-based), without jitter: for code that retries by other
     * means (redelivery) but wants this policy's back-off.
     *
     * @param retry the retry number, from 1
     * @return the wait
     */
    public Duration backoff(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are numbered from 1: " + retry);
        }
        double millis = initialInterval.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
    }

    /**
     * @return a copy of this policy with another attempt limit
     * @param attempts the first try included; {@link #UNLIMITED} for forever
     */
    public RetryPolicy withMaxAttempts(int attempts) {
        return toBuilder().maxAttempts(attempts).build();
    }

    /** @return a builder holding this policy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.initialInterval = initialInterval;
        b.multiplier = multiplier;
        b.maxInterval = maxInterval;
        b.jitter = jitter;
        b.retryable = retryable;
        return b;
    }

    /**
     * Runs an operation on the calling thread, retrying retryable failures with back-off (the
     * thread sleeps between attempts). The first attempt runs directly, so an operation that
     * succeeds costs no more than without a policy. An interrupt while waiting stops retrying.
     *
     * @param operation names the operation in log lines, e.g. "publish to orders"
     * @param action the operation
     * @param <T> result type
     * @return its result
     * @throws RuntimeException the first non-retryable failure, or the last failure when the attempts ran out
     */
    public <T> T execute(String operation, Supplier<T> action) {
        return execute(() -> operation, action);
    }

    /**
     * Same as {@link #execute(String, Supplier)}, the operation's name made only if a retry is logged.
     *
     * @param operation makes the name of the operation for log lines
     * @param action the operation
     * @param <T> result type
     * @return its result
     */
    public <T> T execute(Supplier<String> operation, Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        try {
            return action.get();
        } catch (RuntimeException first) {
            if (maxAttempts == 1 || !isRetryable(first)) {
                throw first;
            }
            Retry.Context<T> context = retry(operation.get()).context();
            RuntimeException failure = first;
            while (true) {
                try {
                    // Waits the back-off and logs the retry, or rethrows when it is not to be retried.
                    context.onRuntimeError(failure);
                } catch (RuntimeException giveUp) {
                    if (Thread.currentThread().isInterrupted() && !(giveUp instanceof MessagingException)) {
                        throw new MessagingException(operation.get() + ": interrupted while waiting to retry", giveUp);
                    }
                    throw giveUp;
                }
                try {
                    T result = action.get();
                    context.onComplete();
                    return result;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Same as {@link #execute(String, Supplier)} for an operation without a result.
     *
     * @param operation names the operation in log lines
     * @param action the operation
     */
    public void run(String operation, Runnable action) {
        Objects.requireNonNull(action, "action");
        execute(operation, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs an asynchronous operation, retrying when its future fails retryably (or it throws). The
     * first attempt starts directly on the caller's thread; the waits before later attempts, and
     * the attempts after them, run on the scheduler given, never on the caller's thread. The
     * returned future fails with the first non-retryable failure, or the last one when the
     * attempts ran out.
     *
     * @param operation makes the name of the operation for log lines (only when a retry is logged)
     * @param action starts one attempt
     * @param scheduler waits between attempts (seedmq passes the connection's scheduler)
     * @param <T> result type
     * @return the outcome of the last attempt
     */
    public <T> CompletableFuture<T> executeAsync(Supplier<String> operation,
                                                 Supplier<? extends CompletionStage<T>> action,
                                                 ScheduledExecutorService scheduler) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(scheduler, "scheduler");
        Supplier<CompletionStage<T>> attempt = () -> {
            try {
                return action.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        CompletableFuture<T> first = attempt.get().toCompletableFuture();
        if (maxAttempts == 1) {
            return first;
        }
        return first.exceptionallyCompose(e -> {
            if (!isRetryable(e)) {
                return CompletableFuture.failedFuture(unwrap(e));
            }
            // The first attempt failed: resilience4j runs the rest, counting it.
            Retry retry = retry(operation.get(), 1);
            Duration wait = backoff(1);
            RetryLog.warn(LOG, kind(retry.getName(), "1", e), "{}: attempt 1 of {} failed ({}); retrying in {} ms",
                    retry.getName(), limit(), describe(e), wait.toMillis());
            Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, scheduler);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(x -> Retry.decorateCompletionStage(retry, scheduler, attempt).get())
                    .exceptionallyCompose(f -> CompletableFuture.failedFuture(unwrap(f)));
        });
    }

    private Retry retry(String operation) {
        return retry(operation, 0);
    }

    /** A resilience4j retry for what is left after {@code done} failed attempts, logging attempt numbers from there. */
    private Retry retry(String operation, int done) {
        RetryConfig cfg = done == 0 ? config : RetryConfig.from(config)
                .maxAttempts(isForever() ? UNLIMITED : maxAttempts - done)
                .intervalFunction(shifted(config.getIntervalFunction(), done))
                .build();
        Retry retry = Retry.of(operation == null ? "operation" : operation, cfg);
        String limit = limit();
        retry.getEventPublisher()
                .onRetry(e -> RetryLog.warn(LOG,
                        kind(e.getName(), String.valueOf(e.getNumberOfRetryAttempts() + done), e.getLastThrowable()),
                        "{}: attempt {} of {} failed ({}); retrying in {} ms", e.getName(),
                        e.getNumberOfRetryAttempts() + done, limit, describe(e.getLastThrowable()),
                        e.getWaitInterval().toMillis()))
                .onError(e -> {
                    if (e.getNumberOfRetryAttempts() + done > 0) {
                        RetryLog.warn(LOG, kind(e.getName(), "giving up", e.getLastThrowable()),
                                "{}: giving up after {} attempts: {}", e.getName(), e.getNumberOfRetryAttempts() + done,
                                describe(e.getLastThrowable()));
                    }
                });
        return retry;
    }

    /** @return what makes retry log lines alike: the operation, the step and the cause's class */
    private static String kind(String operation, String step, Throwable failure) {
        Throwable cause = unwrap(failure);
        return operation + "|" + step + "|" + (cause == null ? "?" : cause.getClass().getName());
    }

    private static IntervalFunction shifted(java.util.function.Function<Integer, Long> base, int by) {
        return n -> base.apply(n + by);
    }

    private String limit() {
        return isForever() ? "unlimited" : String.valueOf(maxAttempts);
    }

    private static String describe(Throwable t) {
        Throwable u = unwrap(t);
        return u == null ? "?" : u.getClass().getSimpleName() + ": " + u.getMessage();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean transientFailure(Throwable t) {
        if (t instanceof AuthenticationException || t instanceof ConnectionClosedException) {
            return false;
        }
        return t instanceof ConnectionException || t instanceof OperationTimeoutException
                || t instanceof PublishRejectedException;
    }

    @Override
    public String toString() {
        return "RetryPolicy[attempts=" + (isForever() ? "unlimited" : maxAttempts) + ", initial=" + initialInterval
                + ", x" + multiplier + ", max=" + maxInterval + ", jitter=" + jitter + "]";
    }

    /** Builds a {@link RetryPolicy}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxInterval = DEFAULT_MAX_INTERVAL;
        private double jitter = DEFAULT_JITTER;
        private Predicate<Throwable> retryable = DEFAULT_RETRYABLE;

        private Builder() {
        }

        /**
         * @param attempts how many times an operation runs at most, the first included (1 = no retry)
         * @return this
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * @param retries how many retries after the first attempt
         * @return this
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative: " + retries);
            }
            return maxAttempts(retries >= UNLIMITED - 1 ? UNLIMITED : retries + 1);
        }

        /** @return this, retrying without limit */
        public Builder forever() {
            this.maxAttempts = UNLIMITED;
            return this;
        }

        /**
         * @param interval the wait before the first retry, positive
         * @return this
         */
        public Builder initialInterval(Duration interval) {
            this.initialInterval = positive(interval, "initialInterval");
            return this;
        }

        /**
         * @param multiplier how much each wait grows, at least 1
         * @return this
         */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /**
         * @param interval the cap on a wait, positive
         * @return this
         */
        public Builder maxInterval(Duration interval) {
            this.maxInterval = positive(interval, "maxInterval");
            return this;
        }

        /**
         * @param factor randomisation in [0, 1): each wait is drawn uniformly from
         *     {@code wait × (1 ± factor)}; 0 for none
         * @return this
         */
        public Builder jitter(double factor) {
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("jitter must be in [0, 1): " + factor);
            }
            this.jitter = factor;
            return this;
        }

        /**
         * Replaces the classification of retryable failures (see {@link RetryPolicy}).
         *
         * @param retryable true for failures worth retrying; it sees the unwrapped failure
         * @return this
         */
        public Builder retryOn(Predicate<Throwable> retryable) {
            this.retryable = Objects.requireNonNull(retryable, "retryable");
            return this;
        }

        /** @return the policy */
        public RetryPolicy build() {
            if (maxInterval.compareTo(initialInterval) < 0) {
                throw new IllegalArgumentException("maxInterval " + maxInterval + " is below initialInterval "
                        + initialInterval);
            }
            return new RetryPolicy(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }

}
