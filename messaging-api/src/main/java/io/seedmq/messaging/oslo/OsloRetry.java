package io.seedmq.messaging.oslo;

import io.seedmq.messaging.retry.RetryPolicy;

/**
 * oslo.messaging's {@code retry} argument as a {@link RetryPolicy}, for the RPC client
 * ({@code RpcClientOptions.retry}) and the notifier, so a setting copied from a Python service
 * means the same here.
 */
public final class OsloRetry {

    private OsloRetry() {
    }

    /**
     * @param retry oslo's value: {@code null} or {@code -1} retry forever, {@code 0} never retries,
     *     {@code N > 0} retries N times (N + 1 attempts), with the default back-off
     * @return the policy
     * @throws IllegalArgumentException if below -1
     */
    public static RetryPolicy of(Integer retry) {
        if (retry == null || retry == -1) {
            return RetryPolicy.forever();
        }
        if (retry < -1) {
            throw new IllegalArgumentException("retry must be -1 (forever), 0 (never) or a count: " + retry);
        }
        if (retry == 0) {
            return RetryPolicy.none();
        }
        return RetryPolicy.builder().maxAttempts(retry == Integer.MAX_VALUE ? RetryPolicy.UNLIMITED : retry + 1).build();
    }
}
