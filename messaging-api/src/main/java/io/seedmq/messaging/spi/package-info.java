/**
 * The transport SPI: what a broker binding implements so that every seedmq API (producers,
 * consumers, SimpleQueue, workers, RPC, notifications) runs on it unchanged.
 *
 * <p>A transport only moves messages between exchanges and queues and reports what the broker
 * said (confirms, returns, redeliveries, cancellations, connection loss). It knows nothing of RPC
 * or notifications. Implementations are found with {@link java.util.ServiceLoader} through
 * {@link io.seedmq.messaging.spi.TransportProvider}, by URL scheme.
 *
 * <p>Every transport must pass the conformance kit in {@code messaging-api}'s test-jar, which
 * states RabbitMQ's behaviour as executable tests. Failures are reported with the exceptions of
 * {@code io.seedmq.messaging} ({@code ConnectionException}, {@code DeclarationConflictException},
 * {@code EntityNotFoundException}, ...), never with a transport library's own types.
 */
package io.seedmq.messaging.spi;
