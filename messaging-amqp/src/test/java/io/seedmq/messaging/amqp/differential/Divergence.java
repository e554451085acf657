package io.seedmq.messaging.amqp.differential;

import java.util.List;

/**
 * Where the two brokers first disagreed while playing a scenario.
 *
 * @param step the number of the step (1-based)
 * @param what {@code outcome} (what the step returned or threw) or {@code state after it}
 * @param rabbit what RabbitMQ did or held
 * @param memory what the in-memory broker did or held
 * @param trace the steps before it, with their (agreed) outcomes and the state after each
 */
record Divergence(int step, String what, String rabbit, String memory, List<String> trace) {
}
