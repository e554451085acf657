package io.seedmq.messaging.rpc;

import io.seedmq.messaging.OperationTimeoutException;
import java.time.Duration;

/**
 * No reply came to an RPC call within its timeout (oslo's {@code MessagingTimeout}). The request
 * may still be executed by a server later; its reply, if any, is dropped.
 */
public class RpcTimeoutException extends OperationTimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient Target target;
    private final String method;
    private final Duration timeout;

    /**
     * @param target where the call went
     * @param method the method called
     * @param timeout the timeout that passed
     */
    public RpcTimeoutException(Target target, String method, Duration timeout) {
        super("no reply to " + method + " on " + target + " within " + timeout.toMillis() + " ms");
        this.target = target;
        this.method = method;
        this.timeout = timeout;
    }

    /** @return where the call went */
    public Target target() {
        return target;
    }

    /** @return the method called */
    public String method() {
        return method;
    }

    /** @return the timeout that passed */
    public Duration timeout() {
        return timeout;
    }
}
