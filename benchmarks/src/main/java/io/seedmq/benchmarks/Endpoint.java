package io.seedmq.benchmarks;

import java.util.function.Consumer;

/**
 * One side's way to move bodies from a publishing thread to a consumer: seedmq on some transport,
 * or a reference on the raw library. A {@link PublishConsume} scenario drives two of these, one per
 * side, with the same load, so the only difference measured is the code underneath.
 */
interface Endpoint extends AutoCloseable {

    /**
     * Starts consuming. Called once, before the first publish.
     *
     * @param onMessage receives each body, on the endpoint's consuming thread
     */
    void consume(Consumer<byte[]> onMessage) throws Exception;

    /**
     * Publishes one body from the calling thread (always the same one).
     *
     * @param body the body; not modified by the endpoint
     * @param confirmed run once the broker took responsibility for it (at once where there is no such step)
     */
    void publish(byte[] body, Runnable confirmed) throws Exception;

    /** Stops consuming, removes what it declared, closes its connections. */
    @Override
    void close() throws Exception;
}
