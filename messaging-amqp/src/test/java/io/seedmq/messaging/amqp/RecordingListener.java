package io.seedmq.messaging.amqp;

import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects deliveries for a test to take, each with a bound. */
final class RecordingListener implements DeliveryListener {

    final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    final CountDownLatch cancelled = new CountDownLatch(1);

    @Override
    public void onDelivery(Delivery delivery) {
        deliveries.add(delivery);
    }

    @Override
    public void onCancelledByBroker() {
        cancelled.countDown();
    }

    /** @return the next delivery; fails the test when none comes within the bound */
    Delivery take(Duration within) throws InterruptedException {
        Delivery d = deliveries.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
            throw new AssertionError("no delivery within " + within);
        }
        return d;
    }

    /** @return the next delivery, or null when none comes within the bound */
    Delivery poll(Duration within) throws InterruptedException {
        return deliveries.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }
}
