package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.conformance.MemoryAlarmKit;
import org.junit.jupiter.api.DisplayName;

/** The memory-alarm kit on RabbitMQ: the fault node's memory high watermark lowered and restored. */
@FaultBroker
@DisplayName("Memory alarm on RabbitMQ (the fault node's watermark)")
class AmqpMemoryAlarmTest extends MemoryAlarmKit {

    /** RabbitMQ's default watermark, restored after each case. */
    private static final String DEFAULT_WATERMARK = "0.4";

    private final FaultNode broker;
    private final Rabbitmqctl ctl;

    AmqpMemoryAlarmTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-memory-alarm").build();
    }

    @Override
    protected void raiseMemoryAlarm() throws Exception {
        ctl.setMemoryHighWatermark("0.000001");
    }

    @Override
    protected void clearMemoryAlarm() throws Exception {
        ctl.setMemoryHighWatermark(DEFAULT_WATERMARK);
    }
}
