package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.RpcCast;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest
@DisplayName("RpcDouble")
class RpcDoubleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The service the code under test calls. */
    public interface Inventory {
        int reserve(Context ctx, String sku, int quantity);

        CompletableFuture<List<String>> skus();

        @RpcCast
        void release(String sku);

        String audit();
    }

    @Test
    @DisplayName("answers calls with stubs and records them, for a proxy and for a call by name")
    void stubsAndRecords(Connection server, Connection client, TestNames names) throws Exception {
        Target target = Target.topic(names.of("inventory")).withServer("double");
        try (RpcDouble<Inventory> inventory = RpcDouble.of(Inventory.class)
                .answer("reserve", call -> call.argument("quantity", Integer.class) * 10)
                .returns("skus", List.of("tea", "cake"))
                .returns("release", null)
                .serve(server, target)) {
            RpcClient rpc = RpcClient.create(client, Target.topic(target.topic()),
                    RpcClientOptions.builder().timeout(WAIT).build());
            Inventory proxy = rpc.proxy(Inventory.class);
            assertEquals(30, proxy.reserve(Context.empty().with("user_id", "u-1"), "tea", 3));
            assertEquals(List.of("tea", "cake"), proxy.skus().get(5, TimeUnit.SECONDS));
            assertEquals(70, rpc.call(Context.empty(), "reserve", Map.of("sku", "cake", "quantity", 7), Integer.class));
            proxy.release("tea");

            RpcCall release = inventory.awaitCall("release", WAIT);
            assertEquals(Map.of("sku", "tea"), release.arguments());
            List<RpcCall> reserves = inventory.calls("reserve");
            assertEquals(2, reserves.size());
            assertEquals("u-1", reserves.get(0).context().asMap().get("user_id"));
            assertEquals(List.of("tea", 3), reserves.get(0).values());
            assertEquals(4, inventory.awaitCalls(4, WAIT).size());
        }
    }

    @Test
    @DisplayName("a method without an answer fails the call, saying so, and is recorded")
    void unanswered(Connection connection, TestNames names) {
        Target target = Target.topic(names.of("inventory")).withServer("double");
        try (RpcDouble<Inventory> inventory = RpcDouble.of(Inventory.class).serve(connection, target)) {
            Inventory proxy = RpcClient.create(connection, Target.topic(target.topic()),
                    RpcClientOptions.builder().timeout(WAIT).build()).proxy(Inventory.class);
            RemoteException e = assertThrows(RemoteException.class, proxy::audit);
            assertTrue(e.remoteMessage().contains("no answer for audit"), e.remoteMessage());
            assertEquals("audit", inventory.awaitCall("audit", WAIT).method());
        }
        assertThrows(IllegalArgumentException.class, () -> RpcDouble.of(Inventory.class).returns("reserv", 1));
    }
}
