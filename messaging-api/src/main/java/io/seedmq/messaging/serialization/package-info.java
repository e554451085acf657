/**
 * How payloads become bodies and back: {@link io.seedmq.messaging.serialization.Serializer}s
 * (JSON through Jackson, UTF-8 text, raw bytes) registered by name and content type in a
 * {@link io.seedmq.messaging.serialization.SerializerRegistry}. No Java native serialization, and no
 * type information is ever taken from a message: JSON is decoded only into the type the caller names.
 */
package io.seedmq.messaging.serialization;
