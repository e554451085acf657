package io.seedmq.benchmarks;

import java.time.Duration;
import java.util.Optional;

/**
 * The CPU time the local RabbitMQ (its Erlang VM, {@code beam.smp}) has used so far, read from the
 * operating system's process table. Only meaningful when the broker under test runs on this
 * machine; empty when no such process is visible or its CPU time cannot be read.
 */
final class BrokerCpu {

    private BrokerCpu() {
    }

    /** @return the total CPU time of every visible {@code beam.smp} process, if readable */
    static Optional<Duration> total() {
        Duration[] sum = {Duration.ZERO};
        boolean[] found = {false};
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                .forEach(p -> p.info().totalCpuDuration().ifPresent(d -> {
                    sum[0] = sum[0].plus(d);
                    found[0] = true;
                }));
        return found[0] ? Optional.of(sum[0]) : Optional.empty();
    }
}
