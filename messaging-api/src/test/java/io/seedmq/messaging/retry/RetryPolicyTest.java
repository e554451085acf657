package io.seedmq.messaging.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.PublishRejectedException;
import io.seedmq.messaging.oslo.OsloRetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RetryPolicy")
class RetryPolicyTest {

    private static final RetryPolicy FAST = RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(1)).maxInterval(Duration.ofMillis(5)).build();

    @Test
    @DisplayName("oslo's retry: null and -1 forever, 0 never, N means N retries")
    void osloRetrySemantics() {
        assertTrue(OsloRetry.of(null).isForever());
        assertTrue(OsloRetry.of(-1).isForever());
        assertEquals(1, OsloRetry.of(0).maxAttempts());
        assertEquals(4, OsloRetry.of(3).maxAttempts());
        assertThrows(IllegalArgumentException.class, () -> OsloRetry.of(-2));
        assertEquals(1, RetryPolicy.none().maxAttempts());
        assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, RetryPolicy.defaults().maxAttempts());
    }

    @Test
    @DisplayName("connection, timeout and nack failures are retryable; credentials, access, preconditions and decoding are not")
    void classification() {
        RetryPolicy p = RetryPolicy.defaults();
        assertTrue(p.isRetryable(new ConnectionException("lost")));
        assertTrue(p.isRetryable(new OperationTimeoutException("slow")));
        assertTrue(p.isRetryable(new PublishRejectedException("nack")));
        assertTrue(p.isRetryable(new java.util.concurrent.CompletionException(new ConnectionException("lost"))));
        assertFalse(p.isRetryable(new AuthenticationException("bad password")));
        assertFalse(p.isRetryable(new AccessRefusedException("no")));
        assertFalse(p.isRetryable(new DeclarationConflictException("precondition failed")));
        assertFalse(p.isRetryable(new DecodeException("not json")));
        assertFalse(p.isRetryable(new IllegalStateException("bug")));
    }

    @Test
    @DisplayName("backoff grows by the multiplier up to the cap")
    void backoffCapped() {
        RetryPolicy p = RetryPolicy.builder().initialInterval(Duration.ofMillis(100)).multiplier(2)
                .maxInterval(Duration.ofMillis(500)).build();
        assertEquals(Duration.ofMillis(100), p.backoff(1));
        assertEquals(Duration.ofMillis(200), p.backoff(2));
        assertEquals(Duration.ofMillis(400), p.backoff(3));
        assertEquals(Duration.ofMillis(500), p.backoff(4));
        assertEquals(Duration.ofMillis(500), p.backoff(40));
    }

    @Test
    @DisplayName("a transient failure is retried until the operation succeeds")
    void retriesUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        String result = FAST.execute("test op", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ConnectionException("down");
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3, calls.get());
    }

    @Test
    @DisplayName("when the attempts run out, the last failure is thrown as it was")
    void exhaustedThrowsLast() {
        AtomicInteger calls = new AtomicInteger();
        ConnectionException e = assertThrows(ConnectionException.class, () -> FAST.execute("test op", () -> {
            throw new ConnectionException("down " + calls.incrementAndGet());
        }));
        assertEquals("down 3", e.getMessage());
        assertEquals(3, calls.get());
    }

    @Test
    @DisplayName("a non-retryable failure is thrown at the first attempt")
    void nonRetryableAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        AuthenticationException refused = new AuthenticationException("refused");
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> FAST.execute("connect", () -> {
            calls.incrementAndGet();
            throw refused;
        }));
        assertSame(refused, e);
        assertEquals(1, calls.get());
    }

    @Test
    @DisplayName("none() tries once")
    void noneTriesOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(ConnectionException.class, () -> RetryPolicy.none().run("op", () -> {
            calls.incrementAndGet();
            throw new ConnectionException("down");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    @DisplayName("forever keeps retrying past any fixed count")
    void foreverKeepsGoing() {
        RetryPolicy forever = FAST.toBuilder().forever().build();
        AtomicInteger calls = new AtomicInteger();
        assertEquals(50, forever.execute("op", () -> {
            int n = calls.incrementAndGet();
            if (n < 50) {
                throw new ConnectionException("down");
            }
            return n;
        }));
    }

    @Test
    @DisplayName("asynchronous operations are retried when their future fails, and fail with the typed cause")
    void asyncRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            asyncRetries(scheduler, calls);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static void asyncRetries(ScheduledExecutorService scheduler, AtomicInteger calls) throws Exception {
        CompletableFuture<String> ok = FAST.executeAsync(() -> "async op", () -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new ConnectionException("down"))
                : CompletableFuture.completedFuture("done"), scheduler);
        assertEquals("done", ok.get(5, TimeUnit.SECONDS));
        assertEquals(3, calls.get());

        CompletableFuture<String> bad = FAST.executeAsync(() -> "async op", () -> {
            throw new DeclarationConflictException("precondition");
        }, scheduler);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertInstanceOf(DeclarationConflictException.class, e.getCause());
    }

    @Test
    @DisplayName("every retry is logged once, with the operation and the attempt number")
    void logsEachRetryOnce() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThrows(ConnectionException.class, () -> FAST.withMaxAttempts(4).run("logged-op", () -> {
                throw new ConnectionException("down");
            }));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("logged-op: attempt (\\d) of 4 failed").matcher(log);
        StringBuilder attempts = new StringBuilder();
        while (m.find()) {
            attempts.append(m.group(1));
        }
        assertEquals("123", attempts.toString(), log);
        assertTrue(log.contains("logged-op: giving up after 4 attempts"), log);
    }

    @Test
    @DisplayName("under a failure storm the log says what happened once per cause, with a count, not once per operation")
    void stormIsLoggedOncePerCause() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 500; i++) {
                assertThrows(ConnectionException.class, () -> FAST.withMaxAttempts(2).run("storm-op", () -> {
                    throw new ConnectionException("down");
                }));
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(log, "storm-op: attempt 1 of 2 failed"), log);
        assertEquals(1, count(log, "storm-op: giving up after 2 attempts"), log);
    }

    @Test
    @DisplayName("a connection closed by the application is never retried")
    void closedByApplicationIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(ConnectionClosedException.class, () -> FAST.run("closed-op", () -> {
            calls.incrementAndGet();
            throw new ConnectionClosedException("closed");
        }));
        assertEquals(1, calls.get());
        assertFalse(RetryPolicy.defaults().isRetryable(new ConnectionClosedException("closed")));
        assertTrue(RetryPolicy.defaults().isRetryable(new ConnectionException("lost")));
    }

    private static int count(String text, String line) {
        int n = 0;
        for (int i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @DisplayName("builders refuse nonsense")
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().jitter(1.0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().multiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().initialInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder()
                .initialInterval(Duration.ofSeconds(2)).maxInterval(Duration.ofSeconds(1)).build());
    }
}
