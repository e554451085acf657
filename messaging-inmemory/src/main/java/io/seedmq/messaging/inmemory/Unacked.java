package io.seedmq.messaging.inmemory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The deliveries of one subscription (or of a connection's basic.gets) not settled yet. */
final class Unacked {
    private final ConcurrentHashMap<Long, InMemoryDelivery> deliveries = new ConcurrentHashMap<>();
    private final MemoryAlarm memory;

    /** @param memory counts the bodies of the deliveries this holds */
    Unacked(MemoryAlarm memory) {
        this.memory = memory;
    }

    void add(InMemoryDelivery delivery) {
        if (deliveries.put(delivery.tag, delivery) == null) {
            memory.taken(delivery.entry.size());
        }
    }

    void remove(InMemoryDelivery delivery) {
        if (deliveries.remove(delivery.tag, delivery)) {
            memory.released(delivery.entry.size());
        }
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
            if (deliveries.remove(d.tag, d)) {
                memory.released(d.entry.size());
            }
        }
        out.sort(Comparator.comparingLong(d -> d.tag));
        return out;
    }
}
