package io.seedmq.messaging.spi;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.TransportRegistry;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Opens a {@link Connection} whose transport connection passes through a decorator first: a
 * wrapper that records, delays or fails calls on their way to the real transport, such as the test
 * kit's record of what a test declared, or a fault injector. The connection is a full seedmq
 * connection (producers, consumers, RPC, notifications) on the decorated transport.
 * {@link Connection#open(ConnectionOptions)} is this with no decoration.
 */
public final class Transports {

    private Transports() {
    }

    /**
     * Finds the transport for the options' scheme, connects under the options'
     * {@link ConnectionOptions#retryPolicy() retry policy}, and hands the open transport connection
     * to the decorator.
     *
     * @param options the connection options
     * @param decorator returns the transport connection the seedmq connection will use: the one it
     *     is given, or a wrapper that delegates every call to it (and closes it when closed)
     * @return an open connection on the decorated transport
     * @throws io.seedmq.messaging.UnsupportedSchemeException if no transport handles the scheme
     * @throws io.seedmq.messaging.AuthenticationException if the broker refuses the credentials
     * @throws io.seedmq.messaging.ConnectionException if the broker cannot be reached
     */
    public static Connection open(ConnectionOptions options, UnaryOperator<TransportConnection> decorator) {
        Objects.requireNonNull(decorator, "decorator");
        TransportProvider provider = TransportRegistry.provider(options.scheme());
        TransportConnection transport = options.retryPolicy().execute("connect to " + options.redactedUrl(),
                () -> provider.connect(options));
        TransportConnection decorated;
        try {
            decorated = Objects.requireNonNull(decorator.apply(transport), "the decorator returned null");
        } catch (RuntimeException | Error e) {
            transport.close();
            throw e;
        }
        return new DefaultConnection(options, decorated);
    }
}
