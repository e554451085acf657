package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.serialization.Serializer;

/** Names and entities of oslo's rabbit driver that the client and the server share. */
final class RpcMessages {

    private RpcMessages() {
    }

    /**
     * @param connection a connection
     * @return the mapper of the connection's JSON serializer, so an application's Jackson
     *     configuration (modules, naming) also applies to RPC arguments and results
     */
    static ObjectMapper mapper(Connection connection) {
        Serializer json = connection.serializers().byName("json");
        return json instanceof JsonSerializer js ? js.mapper() : JsonSerializer.defaultMapper();
    }

    /**
     * @param name the control exchange
     * @return it as oslo declares it: topic, not durable, not auto-delete
     */
    static Exchange controlExchange(String name) {
        return Exchange.builder(name, ExchangeType.TOPIC).durable(false).autoDelete(false).build();
    }

    /**
     * @param topic a topic
     * @return its fanout exchange as oslo declares it: {@code <topic>_fanout}, not durable, auto-delete
     */
    static Exchange fanoutExchange(String topic) {
        return Exchange.builder(topic + "_fanout", ExchangeType.FANOUT).durable(false).autoDelete(true).build();
    }
}
