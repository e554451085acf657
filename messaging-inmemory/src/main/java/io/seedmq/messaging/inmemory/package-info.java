/**
 * The embedded broker behind {@code memory://} URLs: RabbitMQ's exchange, queue and consumer
 * semantics inside the JVM, for tests and single-process applications. Nothing is durable: every
 * exchange, queue and message is gone when the JVM exits. Only {@link
 * io.seedmq.messaging.inmemory.InMemoryBroker} and {@link
 * io.seedmq.messaging.inmemory.InMemoryTransportProvider} are public; the rest is implementation.
 */
package io.seedmq.messaging.inmemory;
