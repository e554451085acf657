/**
 * {@link io.seedmq.messaging.retry.RetryPolicy}: the one retry policy of seedmq (connect, declare,
 * publish, RPC, notifications, the worker's reconnect loop), on resilience4j-retry.
 */
package io.seedmq.messaging.retry;
