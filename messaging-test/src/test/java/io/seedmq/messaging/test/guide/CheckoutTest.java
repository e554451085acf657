package io.seedmq.messaging.test.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcEndpoint;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.test.RpcCall;
import io.seedmq.messaging.test.RpcDouble;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

// docs/testing.md, "Standing in for an RPC service: RpcDouble"
@SeedmqTest
class CheckoutTest {

    /** The RPC service the code under test calls. */
    @RpcEndpoint(namespace = "pricing", version = "1.0")
    public interface Pricing {
        long price(String sku, int quantity);
    }

    /** The code under test: totals a basket through the pricing service. */
    record Checkout(Pricing pricing) {
        long total(String sku, int quantity) {
            return pricing.price(sku, quantity);
        }
    }

    @Test
    void totalsThroughThePricingService(Connection connection, TestNames names) {
        Target target = Target.topic(names.of("pricing")).withServer("double");
        try (RpcDouble<Pricing> pricing = RpcDouble.of(Pricing.class)
                .answer("price", call -> {
                    if (call.argument("quantity", Integer.class) <= 0) {
                        throw new IllegalArgumentException("quantity must be positive");
                    }
                    return 250L * call.argument("quantity", Integer.class);
                })
                .serve(connection, target)) {
            Pricing client = RpcClient.create(connection, Target.topic(target.topic())).proxy(Pricing.class);
            Checkout checkout = new Checkout(client);

            assertEquals(750L, checkout.total("tea", 3));
            RemoteException refused = assertThrows(RemoteException.class, () -> checkout.total("tea", 0));
            assertEquals("quantity must be positive", refused.remoteMessage());

            RpcCall first = pricing.awaitCall("price", Duration.ofSeconds(5));
            assertEquals("tea", first.argument("sku", String.class));
            assertEquals(2, pricing.calls("price").size());
        }
    }
}
