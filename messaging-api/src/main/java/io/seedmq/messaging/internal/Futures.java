package io.seedmq.messaging.internal;

import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Waits on futures with a bound and turns their failures back into seedmq's exceptions. */
public final class Futures {

    private Futures() {
    }

    /**
     * @param future what to wait for
     * @param timeout the bound
     * @param what names the operation in a timeout message
     * @param <T> result type
     * @return the result
     * @throws MessagingException the future's own failure, or {@link OperationTimeoutException}
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        return await(future, timeout, () -> what);
    }

    /**
     * Same as {@link #await(CompletableFuture, Duration, String)}, naming the operation only when
     * it fails, so a hot path does not build a message it almost never shows.
     *
     * @param future what to wait for
     * @param timeout the bound
     * @param what names the operation in a timeout message
     * @param <T> result type
     * @return the result
     * @throws MessagingException the future's own failure, or {@link OperationTimeoutException}
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout, Supplier<String> what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperationTimeoutException(what.get() + " did not complete within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for " + what.get(), e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * @param failure a failure from a future
     * @return it as an unchecked exception to throw, unwrapped from {@link CompletionException}
     */
    public static RuntimeException rethrow(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new MessagingException(String.valueOf(cause.getMessage()), cause);
    }
}
