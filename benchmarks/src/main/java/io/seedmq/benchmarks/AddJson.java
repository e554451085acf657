package io.seedmq.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * The bodies of the references' {@code add(x, y)} calls, the same for raw amqp-client and Spring
 * AMQP: a request {@code {"method":"add","args":{"x":..,"y":..}}} and a reply {@code {"result":..}},
 * written and read by Jackson as seedmq's JSON is. Thread-safe.
 */
final class AddJson {

    /** The content type of requests and replies. */
    static final String CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AddJson() {
    }

    /** @return the request's body */
    static byte[] request(int x, int y) throws IOException {
        return JSON.writeValueAsBytes(Map.of("method", "add", "args", Map.of("x", x, "y", y)));
    }

    /** @return the server's work: the reply's body for a request's body */
    static byte[] answer(byte[] request) throws IOException {
        JsonNode args = JSON.readTree(request).get("args");
        return JSON.writeValueAsBytes(Map.of("result", args.get("x").asInt() + args.get("y").asInt()));
    }

    /** @return the sum a reply's body carries */
    static int result(byte[] reply) throws IOException {
        return JSON.readTree(reply).get("result").asInt();
    }
}
