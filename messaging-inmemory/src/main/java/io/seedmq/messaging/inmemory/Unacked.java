package io.seedmq.messaging.inmemory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The deliveries of one subscription (or of a connection's basic.gets) not settled yet.
 *
 * <p>A doubly-linked list threaded through the deliveries themselves ({@link InMemoryDelivery#prevUnacked},
 * {@link InMemoryDelivery#nextUnacked}), under its lock: adding and removing are O(1)
 * and allocate nothing, where a map keyed by delivery tag boxed a key and updated a shared
 * counter per message (half the consumer's time in a profile of a prefetch-100 stream). Lookup by
 * tag is never needed: a settlement holds its delivery.
 *
 * <p>A subscription's ledger is guarded by its queue's lock: deliveries are added under it anyway,
 * and a settlement that takes it (to free room in a prefetch) unlinks under it too
 * ({@link #removeLocked}), where a lock of the ledger's own cost a second lock per message. A
 * connection's basic.gets, from any queue, have a ledger guarded by itself.
 */
final class Unacked {
    private final MemoryAlarm memory;
    /** Guards the list: the subscription's queue, or this ledger. */
    private final Object lock;
    /** Guarded by {@link #lock}. */
    private InMemoryDelivery head;
    /** Guarded by {@link #lock}. */
    private InMemoryDelivery tail;
    /** Written under {@link #lock}; read without it by {@link #isEmpty()}. */
    private volatile int size;

    /** @param memory counts the bodies of the deliveries this holds */
    Unacked(MemoryAlarm memory) {
        this.memory = memory;
        this.lock = this;
    }

    /**
     * @param memory counts the bodies of the deliveries this holds
     * @param queue the queue whose lock guards this ledger
     */
    Unacked(MemoryAlarm memory, QueueState queue) {
        this.memory = memory;
        this.lock = queue;
    }

    /** @param held whether the delivery's bytes are counted already (handed on from the ready messages) */
    void add(InMemoryDelivery delivery, boolean held) {
        synchronized (lock) {
            addLocked(delivery, held);
        }
    }

    /**
     * As {@link #add}, by a caller holding this ledger's lock (a queue dispatching to its
     * subscription): entering the held monitor again still cost an atomic operation per message.
     */
    void addLocked(InMemoryDelivery delivery, boolean held) {
        if (delivery.inUnacked) {
            return;
        }
        delivery.inUnacked = true;
        delivery.prevUnacked = tail;
        delivery.nextUnacked = null;
        if (tail == null) {
            head = delivery;
        } else {
            tail.nextUnacked = delivery;
        }
        tail = delivery;
        size++;
        if (!held) {
            memory.taken(delivery.entry.size());
        }
    }

    void remove(InMemoryDelivery delivery) {
        synchronized (lock) {
            if (!unlink(delivery)) {
                return;
            }
        }
        memory.released(delivery.entry.size());
    }

    /** As {@link #remove}, by a caller holding this ledger's lock (its queue's). */
    void removeLocked(InMemoryDelivery delivery) {
        if (unlink(delivery)) {
            memory.released(delivery.entry.size());
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Takes back every delivery still unsettled, in delivery order, so they can be requeued. */
    List<InMemoryDelivery> claimAll() {
        List<InMemoryDelivery> out = new ArrayList<>();
        long bytes = 0;
        synchronized (lock) {
            InMemoryDelivery d = head;
            while (d != null) {
                InMemoryDelivery next = d.nextUnacked;
                // Whoever claimed it first (a settlement racing this) decides its fate; it leaves the ledger either way.
                if (d.claim()) {
                    out.add(d);
                }
                unlink(d);
                bytes += d.entry.size();
                d = next;
            }
        }
        if (bytes != 0) {
            memory.released(bytes);
        }
        out.sort(Comparator.comparingLong(d -> d.tag));
        return out;
    }

    /** Call under {@link #lock}. @return whether the delivery was in this ledger */
    private boolean unlink(InMemoryDelivery d) {
        if (!d.inUnacked) {
            return false;
        }
        d.inUnacked = false;
        if (d.prevUnacked == null) {
            head = d.nextUnacked;
        } else {
            d.prevUnacked.nextUnacked = d.nextUnacked;
        }
        if (d.nextUnacked == null) {
            tail = d.prevUnacked;
        } else {
            d.nextUnacked.prevUnacked = d.prevUnacked;
        }
        d.prevUnacked = null;
        d.nextUnacked = null;
        size--;
        return true;
    }
}
