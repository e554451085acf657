/**
 * oslo.messaging's conventions shared by seedmq's RPC ({@link io.seedmq.messaging.rpc}) and
 * notifications ({@link io.seedmq.messaging.notify}): the request {@link io.seedmq.messaging.oslo.Context}
 * and oslo's {@code retry} setting ({@link io.seedmq.messaging.oslo.OsloRetry}).
 */
package io.seedmq.messaging.oslo;
