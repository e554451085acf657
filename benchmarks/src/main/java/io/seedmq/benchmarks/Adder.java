package io.seedmq.benchmarks;

/** The RPC endpoint of the RPC scenarios: as little work as a call can carry, so the plumbing is what is measured. */
public final class Adder {

    /**
     * @param x a number
     * @param y another
     * @return their sum
     */
    public int add(int x, int y) {
        return x + y;
    }
}
