package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.serialization.Serializer;

/** What the RPC client and server share: the JSON mapper of their connection. */
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
}
