package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.TlsOptions;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.retry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code amqps://} against a TLS listener the test opens on the fault-injection node
 * ({@link FaultBroker}) with certificates it generates itself (a throw-away CA and a server
 * certificate for {@code localhost}, made with {@code openssl}).
 */
@FaultBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("TLS (amqps://) on RabbitMQ with test-generated certificates")
class AmqpTlsTest {

    private final FaultNode broker;
    private final Rabbitmqctl ctl;
    private Path dir;
    private int port;
    private Path trustStore;

    AmqpTlsTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @BeforeAll
    void startTlsListener() throws Exception {
        dir = Files.createTempDirectory("seedmq-tls-");
        // The broker runs as another user: it must read the certificates.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assumeTrue(run("openssl", "version"), "openssl is not available to make test certificates");
        String ca = dir.resolve("ca.pem").toString();
        String caKey = dir.resolve("ca.key").toString();
        String key = dir.resolve("server.key").toString();
        String csr = dir.resolve("server.csr").toString();
        String cert = dir.resolve("server.pem").toString();
        Path ext = dir.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        require(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca,
                "-days", "2", "-subj", "/CN=seedmq-test-ca"));
        require(run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                "-subj", "/CN=localhost"));
        require(run("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                "-out", cert, "-days", "2", "-extfile", ext.toString()));
        for (String f : List.of(ca, key, cert)) {
            Files.setPosixFilePermissions(Path.of(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
        trustStore = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(ca))) {
            ks.setCertificateEntry("seedmq-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, "changeit".toCharArray());
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String opts = "[{cacertfile,\"" + ca + "\"},{certfile,\"" + cert + "\"},{keyfile,\"" + key
                + "\"},{verify,verify_none},{fail_if_no_peer_cert,false}]";
        ctl.eval("rabbit_networking:start_ssl_listener({\"127.0.0.1\", " + port + "}, " + opts + ", 1, 1).");
    }

    @AfterAll
    void stopTlsListener() throws IOException {
        if (port != 0) {
            try {
                ctl.eval("rabbit_networking:stop_tcp_listener({\"127.0.0.1\", " + port + "}).");
            } catch (IOException e) {
                // the listener goes with the next restart of the node anyway
            }
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return false;
        }
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("openssl failed to make the test certificates");
        }
    }

    private ConnectionOptions.Builder amqps() {
        ConnectionOptions plain = broker.options();
        return ConnectionOptions.fromUrl("amqps://localhost:" + port + "/").toBuilder()
                .username(plain.username()).password(plain.password())
                .connectionTimeout(Duration.ofSeconds(5)).operationTimeout(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("amqps:// with the test CA in a trust store connects, verifies the host name, and carries messages")
    void tlsRoundTrip() {
        String q = "seedmq-tls-" + UUID.randomUUID();
        TlsOptions tls = TlsOptions.builder().trustStore(trustStore, "changeit").verifyHostname(true).build();
        try (Connection conn = Connection.open(amqps().tls(tls).build())) {
            conn.producer().publish("over TLS", Publish.toQueue(Queue.builder(q).build()));
            assertEquals("over TLS", conn.get(q, AckMode.AUTO).orElseThrow().payload(String.class));
            assertFalse(conn.toString().contains(String.valueOf(broker.options().password()) + "@"));
            conn.deleteQueue(q);
        }
    }

    @Test
    @DisplayName("a broker certificate the client does not trust is a ConnectionException, not an authentication error")
    void untrustedCertificate() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connection.open(amqps().retryPolicy(RetryPolicy.none()).build()));
        assertFalse(e instanceof AuthenticationException, e.toString());
    }
}
