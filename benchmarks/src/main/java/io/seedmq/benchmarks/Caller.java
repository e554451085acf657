package io.seedmq.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * One side of an RPC scenario: a server answering {@code add(x, y)} and a client calling it,
 * set up by the constructor and torn down by {@link #close()}.
 */
interface Caller extends AutoCloseable {

    /**
     * Sends one call; may be called again before earlier ones complete.
     *
     * @param x first addend
     * @param y second addend
     * @return the sum, once the reply arrived
     */
    CompletableFuture<Integer> add(int x, int y) throws Exception;

    @Override
    void close() throws Exception;
}
