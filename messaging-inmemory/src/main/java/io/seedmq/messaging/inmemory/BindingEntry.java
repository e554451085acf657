package io.seedmq.messaging.inmemory;

import java.util.Map;

/** One queue binding on an exchange, with its topic pattern compiled once. */
record BindingEntry(QueueState queue, String key, Map<String, Object> arguments, TopicPattern topic) {

    static BindingEntry of(QueueState queue, String key, Map<String, Object> arguments) {
        return new BindingEntry(queue, key, arguments, new TopicPattern(key));
    }

    boolean sameAs(QueueState q, String k, Map<String, Object> args) {
        return queue == q && key.equals(k) && arguments.equals(args);
    }
}
