package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.test.MessageCollector;
import io.seedmq.messaging.test.RpcCall;
import io.seedmq.messaging.test.RpcDouble;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs on memory:// by default, on RabbitMQ with -Dseedmq.test.broker=rabbitmq. */
@SeedmqTest
class OrderServiceTest {

    @Test
    void pricesThroughAProxyAndAnnouncesTheOrder(Connection connection, TestNames names, TestBroker broker) {
        // An exchange of the test's own: a shared broker may hold another application's "openstack".
        Target pricingTarget = Target.topic(names.of("pricing")).withExchange(names.of("rpc")).withServer("double");
        Exchange events = Exchange.topic(names.of("orders"));
        try (RpcDouble<Pricing> pricing = RpcDouble.of(Pricing.class)
                     .answer("price", call -> 250L * call.argument("quantity", Integer.class))
                     .serve(connection, pricingTarget);
             MessageCollector announced = MessageCollector.bind(connection, Binding.to(events, "order.*"))) {
            Pricing proxy = RpcClient.create(connection,
                    Target.topic(pricingTarget.topic()).withExchange(pricingTarget.exchange())).proxy(Pricing.class);
            OrderService orders = new OrderService(connection, proxy, events);

            assertEquals(750L, orders.place("tea", 3));

            RpcCall call = pricing.awaitCall("price", Duration.ofSeconds(10));
            assertEquals("tea", call.argument("sku", String.class));
            Message message = announced.awaitMessages(1, Duration.ofSeconds(10)).get(0);
            assertEquals(Map.of("sku", "tea", "quantity", 3, "price", 750), message.payload(Map.class));
            System.out.println("order service test ran on " + broker);
        }
    }
}
