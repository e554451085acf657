package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.MessageProperties;

/**
 * A published message as the broker keeps it. Shared, never copied, by every queue it was routed
 * to: bodies are immutable by the SPI's contract.
 */
record StoredMessage(String exchange, String routingKey, MessageProperties properties, byte[] body) {
}
