package io.seedmq.messaging.rpc.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last few thousand ids seen, to recognise a request delivered twice (by its oslo unique id).
 * Every request of a server passes through here, from all its handler threads at once, so it takes
 * no lock: a concurrent set of the ids and a ring of them in arrival order that forgets the oldest.
 */
final class RecentIds {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicReferenceArray<String> ring;
    private final AtomicLong added = new AtomicLong();

    /** @param capacity how many ids are remembered */
    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /**
     * @param id an id
     * @return whether it is not among the ids remembered; it is remembered from now on
     */
    boolean firstTime(String id) {
        if (!ids.add(id)) {
            return false;
        }
        String forgotten = ring.getAndSet((int) (added.getAndIncrement() % ring.length()), id);
        if (forgotten != null) {
            ids.remove(forgotten);
        }
        return true;
    }
}
