package io.seedmq.messaging.inmemory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The deliveries of one subscription (or of a connection's basic.gets) not settled yet. */
final class Unacked {
    private final ConcurrentHashMap<Long, InMemoryDelivery> deliveries = new ConcurrentHashMap<>();

    void add(InMemoryDelivery delivery) {
        deliveries.put(delivery.tag, delivery);
    }

    void remove(InMemoryDelivery delivery) {
        deliveries.remove(delivery.tag, delivery);
    }

    boolean isEmpty() {
        return deliveries.isEmpty();
    }

    /** Takes back every delivery still unsettled, in delivery order, so they can be requeued. */
    List<InMemoryDelivery> claimAll() {
        List<InMemoryDelivery> out = new ArrayList<>();
        for (InMemoryDelivery d : deliveries.values()) {
            if (d.claim()) {
                out.add(d);
            }
            deliveries.remove(d.tag, d);
        }
        out.sort(Comparator.comparingLong(d -> d.tag));
        return out;
    }
}
