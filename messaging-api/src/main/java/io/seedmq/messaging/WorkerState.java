package io.seedmq.messaging;

/**
 * The life of a {@link ConsumerWorker}: {@code STARTING → CONSUMING ⇄ RECOVERING → STOPPING → STOPPED}.
 * A worker that failed to start goes from {@code STARTING} to {@code STOPPED}.
 */
public enum WorkerState {
    /** Declaring queues and subscribing. */
    STARTING,
    /** Subscribed; messages flow to the handlers. */
    CONSUMING,
    /** The connection was lost; the transport is restoring it with the subscriptions. */
    RECOVERING,
    /** {@code stop()} was called: no new messages are taken; in-flight handlers finish. */
    STOPPING,
    /** Done; {@code run()} has returned or is about to. */
    STOPPED
}
