package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.spi.OutboundMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds dead-lettered copies with RabbitMQ's {@code x-death} bookkeeping and detects dead-letter cycles. */
final class DeadLetters {
    static final String REJECTED = "rejected";
    static final String EXPIRED = "expired";
    static final String MAXLEN = "maxlen";
    static final String DELIVERY_LIMIT = "delivery_limit";

    private static final String X_DEATH = "x-death";

    private DeadLetters() {
    }

    /**
     * @return the copy to republish: same body, per-message expiration removed, {@code x-death}
     *     updated (an entry for the same queue and reason is counted up and moved first),
     *     {@code x-first-death-*} set once and {@code x-last-death-*} set every time
     */
    static OutboundMessage copy(OutboundMessage original, String queue, String reason, String exchange, String routingKey) {
        MessageProperties props = original.properties();
        List<Map<String, Object>> deaths = deaths(props.headers());
        Map<String, Object> entry = null;
        for (int i = 0; i < deaths.size(); i++) {
            Map<String, Object> d = deaths.get(i);
            if (queue.equals(d.get("queue")) && reason.equals(d.get("reason"))) {
                entry = new LinkedHashMap<>(d);
                Object count = d.get("count");
                entry.put("count", (count instanceof Number n ? n.longValue() : 0L) + 1);
                entry.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS));
                deaths.remove(i);
                break;
            }
        }
        if (entry == null) {
            entry = new LinkedHashMap<>();
            entry.put("count", 1L);
            entry.put("reason", reason);
            entry.put("queue", queue);
            entry.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            entry.put("exchange", original.exchange());
            entry.put("routing-keys", List.of(original.routingKey()));
            if (props.expiration() != null) {
                entry.put("original-expiration", Long.toString(props.expiration().toMillis()));
            }
        }
        deaths.add(0, Collections.unmodifiableMap(entry));
        Map<String, Object> headers = new LinkedHashMap<>(props.headers());
        headers.put(X_DEATH, List.copyOf(deaths));
        headers.putIfAbsent("x-first-death-reason", reason);
        headers.putIfAbsent("x-first-death-queue", queue);
        headers.putIfAbsent("x-first-death-exchange", original.exchange());
        headers.put("x-last-death-reason", reason);
        headers.put("x-last-death-queue", queue);
        headers.put("x-last-death-exchange", original.exchange());
        MessageProperties copy = props.toBuilder().expiration(null).headers(headers).build();
        return new OutboundMessage(exchange, routingKey, copy, original.body(), false);
    }

    /**
     * RabbitMQ's rule: a message dead-lettered for a reason other than rejection is dropped
     * rather than routed back to a queue it already died in, unless a rejection happened since.
     */
    static boolean isCycle(OutboundMessage deadLettered, String targetQueue, String reason) {
        if (REJECTED.equals(reason)) {
            return false;
        }
        for (Map<String, Object> d : deaths(deadLettered.properties().headers())) {
            if (REJECTED.equals(d.get("reason"))) {
                return false;
            }
            if (targetQueue.equals(d.get("queue"))) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(Map<String, Object> headers) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (headers.get(X_DEATH) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }
}
