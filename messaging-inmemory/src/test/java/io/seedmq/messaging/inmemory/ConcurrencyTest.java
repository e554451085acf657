package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.TransportConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Concurrency")
class ConcurrencyTest extends Fixture {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 5_000;
    private static final int TOTAL = PRODUCERS * PER_PRODUCER;

    /** Checks that each producer's messages reach one subscription in the order they were sent. */
    private static final class OrderChecker implements DeliveryListener {
        private final int[] lastSeen = new int[PRODUCERS];
        private final ConcurrentHashMap<Integer, Boolean> seen;
        private final CountDownLatch done;
        private final AtomicInteger duplicates;
        private final List<String> disorder = new ArrayList<>();
        private final boolean ack;

        OrderChecker(ConcurrentHashMap<Integer, Boolean> seen, CountDownLatch done, AtomicInteger duplicates,
                     boolean ack) {
            this.seen = seen;
            this.done = done;
            this.duplicates = duplicates;
            this.ack = ack;
            Arrays.fill(lastSeen, -1);
        }

        @Override
        public void onDelivery(Delivery delivery) {
            String[] parts = text(delivery).split(":");
            int producer = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            if (seq <= lastSeen[producer]) {
                disorder.add(producer + ":" + seq + " after " + lastSeen[producer]);
            }
            lastSeen[producer] = seq;
            if (seen.putIfAbsent(producer * PER_PRODUCER + seq, Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
            }
            if (ack) {
                delivery.ack();
            }
            done.countDown();
        }
    }

    @Test
    @DisplayName("several producers and consumers: nothing lost, nothing duplicated, order kept per subscription")
    void producersAndConsumers() throws Exception {
        declare("work");
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(TOTAL);
        AtomicInteger duplicates = new AtomicInteger();
        List<OrderChecker> checkers = new ArrayList<>();
        List<TransportConnection> connections = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            TransportConnection consumer = broker.connect();
            connections.add(consumer);
            OrderChecker checker = new OrderChecker(seen, done, duplicates, c != 2);
            checkers.add(checker);
            consumer.subscribe("work", c == 2 ? autoAck() : manual(c == 0 ? 1 : 50), checker);
        }
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        try {
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(CompletableFuture.runAsync(() -> {
                    TransportConnection pc = broker.connect();
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        pc.publish(message("", "work", producer + ":" + i)).join();
                    }
                }, pool));
            }
            CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertTrue(done.await(30, TimeUnit.SECONDS), "missing " + done.getCount() + " messages");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, duplicates.get());
        assertEquals(TOTAL, seen.size());
        for (OrderChecker c : checkers) {
            assertEquals(List.of(), c.disorder);
        }
        assertEquals(0, conn.checkQueue("work").messageCount());
    }

    @Test
    @DisplayName("concurrent settling and requeueing never loses a message")
    void requeueUnderLoad() throws Exception {
        declare("bouncy");
        int total = 2_000;
        BitSet acked = new BitSet(total);
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger duplicates = new AtomicInteger();
        DeliveryListener listener = d -> {
            int n = Integer.parseInt(text(d));
            if (!d.info().redelivered() && n % 3 == 0) {
                d.reject(true);
                return;
            }
            synchronized (acked) {
                if (acked.get(n)) {
                    duplicates.incrementAndGet();
                }
                acked.set(n);
            }
            d.ack();
            done.countDown();
        };
        for (int c = 0; c < 3; c++) {
            broker.connect().subscribe("bouncy", manual(10), listener);
        }
        for (int i = 0; i < total; i++) {
            send("bouncy", Integer.toString(i));
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "missing " + done.getCount() + " messages");
        assertEquals(0, duplicates.get());
        BitSet bits = new BitSet(total);
        bits.set(0, total);
        synchronized (acked) {
            assertEquals(bits, acked);
        }
    }

    @Test
    @DisplayName("closing a consumer connection mid-stream returns its unacked messages to the others")
    void connectionLossUnderLoad() throws Exception {
        declare("handover");
        int total = 1_000;
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(total);
        TransportConnection doomed = broker.connect();
        CountDownLatch doomedGotOne = new CountDownLatch(1);
        doomed.subscribe("handover", manual(20), d -> doomedGotOne.countDown());
        for (int i = 0; i < total; i++) {
            send("handover", Integer.toString(i));
        }
        assertTrue(doomedGotOne.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        broker.connect().subscribe("handover", manual(5), d -> {
            seen.put(Integer.parseInt(text(d)), Boolean.TRUE);
            d.ack();
            done.countDown();
        });
        doomed.close();
        assertTrue(done.await(30, TimeUnit.SECONDS), "missing " + done.getCount() + " messages");
        assertEquals(total, seen.size());
    }
}
