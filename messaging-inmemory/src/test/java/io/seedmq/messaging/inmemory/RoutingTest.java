package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Routing")
class RoutingTest extends Fixture {

    private long count(String queue) {
        return conn.checkQueue(queue).messageCount();
    }

    private List<String> drain(String queue) {
        List<String> out = new ArrayList<>();
        for (var d = conn.get(queue, true); d.isPresent(); d = conn.get(queue, true)) {
            out.add(text(d.get()));
        }
        return out;
    }

    @Test
    @DisplayName("the default exchange routes by queue name and always exists")
    void defaultExchange() {
        declare("q1");
        send("q1", "hello");
        send("nobody", "dropped");
        assertEquals(List.of("hello"), drain("q1"));
        conn.checkExchange("");
    }

    @Test
    @DisplayName("a direct exchange routes to queues whose binding key equals the routing key")
    void direct() {
        Exchange x = Exchange.direct("logs");
        conn.declareExchange(x);
        declare("errors");
        declare("infos");
        conn.bind("errors", Binding.to(x, "error"));
        conn.bind("infos", Binding.to(x, "info"));
        publish("logs", "error", "e");
        publish("logs", "info", "i");
        publish("logs", "debug", "d");
        assertEquals(List.of("e"), drain("errors"));
        assertEquals(List.of("i"), drain("infos"));
    }

    @Test
    @DisplayName("a fanout exchange routes to every bound queue whatever the key")
    void fanout() {
        Exchange x = Exchange.fanout("fan");
        conn.declareExchange(x);
        declare("a");
        declare("b");
        conn.bind("a", Binding.to(x));
        conn.bind("b", Binding.to(x, "ignored"));
        publish("fan", "anything", "m");
        assertEquals(1, count("a"));
        assertEquals(1, count("b"));
    }

    @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "#|''|true", "#|a|true", "#|a.b.c|true",
        "a.#|a|true", "a.#|a.b.c|true", "a.#|b.a|false",
        "*.b|b|false", "*.b|a.b|true", "*.b|a.b.c|false",
        "*|''|false", "*.#|''|false", "#.*|''|false", "*.#|a|true", "#.*|a|true",
        "*|a|true", "*|a.b|false", "*|.|false", "*.*|.|true", "*|a.|false", "*.*|a.|true",
        "a.*.c|a.b.c|true", "a.*.c|a.c|false",
        "#.c|c|true", "#.c|a.b.c|true", "#.c|a.b.c.d|false",
        "a.#.c|a.c|true", "a.#.c|a.x.y.c|true", "a.#.#.c|a.c|true",
        "''|''|true", "''|a|false",
        "kern.*|kern.critical|true", "*.critical|kern.critical|true", "#.critical.#|x.critical|true",
        "a.b|a.b|true", "a.b|a.b.c|false"
    })
    @DisplayName("topic patterns match like RabbitMQ's")
    void topicPatterns(String pattern, String key, boolean expected) {
        assertEquals(expected, new TopicPattern(pattern).matches(TopicPattern.split(key)));
    }

    @Test
    @DisplayName("a topic exchange routes by pattern and delivers once per queue even when several bindings match")
    void topicRoutesOncePerQueue() {
        Exchange x = Exchange.topic("topics");
        conn.declareExchange(x);
        declare("all");
        declare("kern");
        conn.bind("all", Binding.to(x, "#"));
        conn.bind("all", Binding.to(x, "kern.*"));
        conn.bind("kern", Binding.to(x, "kern.*"));
        publish("topics", "kern.critical", "k");
        publish("topics", "user.info", "u");
        assertEquals(List.of("k", "u"), drain("all"));
        assertEquals(List.of("k"), drain("kern"));
    }

    @Test
    @DisplayName("a headers exchange matches all (default) or any of the binding's headers, ignoring x- arguments")
    void headers() {
        Exchange x = Exchange.headers("h");
        conn.declareExchange(x);
        declare("all");
        declare("any");
        declare("plain");
        conn.bind("all", Binding.headers(x, Map.of("format", "pdf", "type", "report"), true));
        conn.bind("any", Binding.headers(x, Map.of("format", "pdf", "type", "report"), false));
        conn.bind("plain", new Binding(x, "", Map.of("format", "pdf", "x-ignored", "zzz")));
        publishWithHeaders("h", Map.of("format", "pdf", "type", "report"), "both");
        publishWithHeaders("h", Map.of("format", "pdf"), "format");
        publishWithHeaders("h", Map.of("type", "log"), "neither");
        assertEquals(List.of("both"), drain("all"));
        assertEquals(List.of("both", "format"), drain("any"));
        assertEquals(List.of("both", "format"), drain("plain"));
    }

    @Test
    @DisplayName("header values match across integer widths")
    void headerNumbers() {
        Exchange x = Exchange.headers("hn");
        conn.declareExchange(x);
        declare("n");
        conn.bind("n", Binding.headers(x, Map.of("v", 1L), true));
        publishWithHeaders("hn", Map.of("v", 1), "int");
        assertEquals(List.of("int"), drain("n"));
    }

    private void publishWithHeaders(String exchange, Map<String, Object> headers, String body) {
        conn.publish(message(exchange, "", body, MessageProperties.builder().headers(headers).build())).join();
    }

    @Test
    @DisplayName("the amq.* exchanges are pre-declared")
    void predeclared() {
        for (String name : List.of("amq.direct", "amq.fanout", "amq.topic", "amq.headers")) {
            conn.checkExchange(name);
        }
        declare("q");
        conn.bind("q", Binding.to(Exchange.direct("amq.direct"), "k"));
        publish("amq.direct", "k", "m");
        assertEquals(1, count("q"));
    }

    @Test
    @DisplayName("publishing to a missing exchange fails that publish with EntityNotFoundException")
    void missingExchange() {
        CompletionException e = assertThrows(CompletionException.class, () -> publish("nope", "k", "m"));
        assertInstanceOf(EntityNotFoundException.class, e.getCause());
        assertTrue(conn.isOpen());
    }

    @Test
    @DisplayName("an unroutable mandatory message is returned with 312 NO_ROUTE; a non-mandatory one is dropped")
    void mandatory() {
        conn.declareExchange(Exchange.direct("d"));
        OutboundMessage m = new OutboundMessage("d", "nowhere", MessageProperties.EMPTY,
                "x".getBytes(StandardCharsets.UTF_8), true);
        CompletionException e = assertThrows(CompletionException.class, () -> conn.publish(m).join());
        UndeliverableException u = assertInstanceOf(UndeliverableException.class, e.getCause());
        assertEquals(312, u.replyCode());
        assertEquals("d", u.exchange());
        assertEquals("nowhere", u.routingKey());
        publish("d", "nowhere", "dropped silently");
    }

    @Test
    @DisplayName("unroutable messages go to the alternate exchange when one is set")
    void alternateExchange() {
        Exchange ae = Exchange.fanout("ae");
        conn.declareExchange(ae);
        conn.declareExchange(Exchange.builder("main", ExchangeType.DIRECT).argument("alternate-exchange", "ae").build());
        declare("unrouted");
        conn.bind("unrouted", Binding.to(ae));
        OutboundMessage m = new OutboundMessage("main", "x", MessageProperties.EMPTY, new byte[0], true);
        conn.publish(m).join();
        assertEquals(1, count("unrouted"));
    }

    @Test
    @DisplayName("unbinding stops routing; removing an absent binding succeeds")
    void unbind() {
        Exchange x = Exchange.direct("u");
        conn.declareExchange(x);
        declare("q");
        conn.bind("q", Binding.to(x, "k"));
        conn.unbind("q", Binding.to(x, "k"));
        conn.unbind("q", Binding.to(x, "k"));
        publish("u", "k", "m");
        assertEquals(0, count("q"));
        assertFalse(conn.get("q", true).isPresent());
    }
}
