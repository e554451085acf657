package io.seedmq.messaging;

/** How a consumer's deliveries are acknowledged. */
public enum AckMode {
    /**
     * The application settles every message ({@link Message#ack()}, {@link Message#reject()},
     * {@link Message#requeue()}). Unsettled messages return to the queue, flagged redelivered,
     * when the consumer or its connection goes. At-least-once.
     */
    MANUAL,
    /**
     * The broker considers a message acknowledged as soon as it sends it. Prefetch does not
     * apply. A message in flight when the consumer dies is lost: at-most-once.
     */
    AUTO
}
