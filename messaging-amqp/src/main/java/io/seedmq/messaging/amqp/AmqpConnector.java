package io.seedmq.messaging.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ListAddressResolver;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.TlsOptions;
import io.seedmq.messaging.spi.ThreadFactories;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns {@link ConnectionOptions} into amqp-client connections: hosts and failover order, virtual
 * host, credentials, TLS, heartbeat, connection and handshake timeouts, the RPC timeout of every
 * channel operation, and automatic recovery with topology recovery.
 */
final class AmqpConnector {

    static final int DEFAULT_PORT = 5672;
    static final int DEFAULT_TLS_PORT = 5671;
    static final String DEFAULT_CONNECTION_NAME = "seedmq";


    private final ConnectionOptions options;
    private final ConnectionFactory factory;
    private final List<Address> addresses;

    /**
     * @param options what to connect to and how
     * @param exceptions amqp-client's exception handler for the connections opened, told of
     *     recovery failures
     * @param recoveryFilter which consumers automatic recovery must not re-register
     */
    AmqpConnector(ConnectionOptions options, com.rabbitmq.client.ExceptionHandler exceptions,
                  ConsumerRecoveryFilter recoveryFilter) {
        this.options = options;
        this.factory = factory(options);
        this.factory.setExceptionHandler(exceptions);
        this.factory.setTopologyRecoveryFilter(recoveryFilter);
        this.addresses = addresses(options);
    }

    /**
     * Opens one amqp-client connection. amqp-client tries the hosts in turn, each bounded by the
     * connection timeout; the first attempt is never retried, so refused credentials fail at once.
     *
     * @param role "publish" or "consume", appended to the client-provided name
     */
    Connection open(String role) {
        AddressResolver resolver = options.hostSelection() == ConnectionOptions.HostSelection.SHUFFLE
                ? new ListAddressResolver(addresses) : new InOrderAddressResolver(addresses);
        try {
            // No shared executor: each connection gets its own consumer work pool.
            return factory.newConnection((java.util.concurrent.ExecutorService) null, resolver, connectionName() + " (" + role + ")");
        } catch (Exception e) {
            throw AmqpErrors.translateConnect(options.redactedUrl(), e);
        }
    }

    /** @return the client-provided name, "seedmq" unless set */
    String connectionName() {
        return options.connectionName() == null ? DEFAULT_CONNECTION_NAME : options.connectionName();
    }

    private static ConnectionFactory factory(ConnectionOptions options) {
        ConnectionFactory f = new ConnectionFactory();
        f.setUsername(options.username());
        f.setPassword(options.password() == null ? "" : options.password());
        f.setVirtualHost(options.virtualHost());
        f.setRequestedHeartbeat(seconds(options.heartbeat().toMillis()));
        int connectMillis = millis(options.connectionTimeout().toMillis());
        f.setConnectionTimeout(connectMillis);
        f.setHandshakeTimeout(connectMillis);
        f.setChannelRpcTimeout(millis(options.operationTimeout().toMillis()));
        f.setShutdownTimeout(millis(options.operationTimeout().toMillis()));
        f.setAutomaticRecoveryEnabled(options.automaticRecovery());
        f.setTopologyRecoveryEnabled(options.automaticRecovery());
        f.setNetworkRecoveryInterval(options.recoveryInterval().toMillis());
        f.setThreadFactory(ThreadFactories.factory(options.threadFactory(), "amqp"));
        f.setClientProperties(clientProperties(f.getClientProperties()));
        if (options.tls() != null) {
            configureTls(f, options.tls());
        }
        return f;
    }

    private static Map<String, Object> clientProperties(Map<String, Object> defaults) {
        Map<String, Object> props = new java.util.HashMap<>(defaults);
        props.put("product", "seedmq (RabbitMQ Java client)");
        return props;
    }

    private static void configureTls(ConnectionFactory f, TlsOptions tls) {
        try {
            SSLContext context = tls.sslContext() != null ? tls.sslContext() : sslContext(tls);
            f.useSslProtocol(context);
            if (tls.verifyHostname()) {
                f.enableHostnameVerification();
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConnectionException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext sslContext(TlsOptions tls) throws GeneralSecurityException, java.io.IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        // A null key store means the JVM's default trust store (cacerts or javax.net.ssl.trustStore).
        tmf.init(tls.trustStore() == null ? null
                : load(tls.trustStore(), tls.trustStoreType(), tls.trustStorePassword()));
        KeyManagerFactory kmf = null;
        if (tls.keyStore() != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
            kmf.init(load(tls.keyStore(), tls.keyStoreType(), tls.keyStorePassword()), password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(java.nio.file.Path path, String type, String password)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }

    private static List<Address> addresses(ConnectionOptions options) {
        int defaultPort = options.tls() != null ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        List<Address> list = new ArrayList<>();
        for (io.seedmq.messaging.Address a : options.addresses()) {
            list.add(new Address(a.host(), a.portOr(defaultPort)));
        }
        if (list.isEmpty()) {
            list.add(new Address("localhost", defaultPort));
        }
        return list;
    }

    private static int seconds(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }

    private static int millis(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }
}
