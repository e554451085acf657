package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.rpc.RpcKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The RPC kit on the embedded broker, one broker per test instance. */
@DisplayName("RPC kit on memory://")
class InMemoryRpcTest extends RpcKit {

    private final String broker = "rpc-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }
}
