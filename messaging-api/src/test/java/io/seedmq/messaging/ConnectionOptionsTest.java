package io.seedmq.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ConnectionOptions")
class ConnectionOptionsTest {

    @Nested
    @DisplayName("parses URLs")
    class Parsing {

        @Test
        @DisplayName("amqp with credentials, port and %2F vhost")
        void fullAmqpUrl() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqp://alice:s3cret@broker.local:5673/%2F");
            assertEquals("amqp", o.scheme());
            assertEquals(List.of(new Address("broker.local", 5673)), o.addresses());
            assertEquals("alice", o.username());
            assertEquals("s3cret", o.password());
            assertEquals("/", o.virtualHost());
            assertNull(o.tls());
        }

        @Test
        @DisplayName("percent-decodes user, password and vhost; a plus stays a plus")
        void percentDecoding() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqp://us%3Aer:p%40ss+w%2Frd@h/prod%2Feu");
            assertEquals("us:er", o.username());
            assertEquals("p@ss+w/rd", o.password());
            assertEquals("prod/eu", o.virtualHost());
        }

        @Test
        @DisplayName("kombu's // and an empty path both mean vhost /, and guest/guest is the default user")
        void defaultVhostAndUser() {
            assertEquals("/", ConnectionOptions.fromUrl("amqp://localhost//").virtualHost());
            assertEquals("/", ConnectionOptions.fromUrl("amqp://localhost/").virtualHost());
            ConnectionOptions bare = ConnectionOptions.fromUrl("amqp://localhost");
            assertEquals("/", bare.virtualHost());
            assertEquals("guest", bare.username());
            assertEquals("guest", bare.password());
            assertEquals(-1, bare.addresses().get(0).port());
            assertEquals(5672, bare.addresses().get(0).portOr(5672));
        }

        @Test
        @DisplayName("oslo's comma-separated hosts with credentials on each")
        void osloHostList() {
            ConnectionOptions o = ConnectionOptions.fromUrl("rabbit://u:p@h1:5672,u:p@h2:5673/vh");
            assertEquals("rabbit", o.scheme());
            assertEquals(List.of(new Address("h1", 5672), new Address("h2", 5673)), o.addresses());
            assertEquals("u", o.username());
            assertEquals("vh", o.virtualHost());
        }

        @Test
        @DisplayName("comma-separated hosts sharing one set of credentials")
        void sharedCredentialHostList() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqp://u:p@h1,h2:5673,[::1]:5674/");
            assertEquals(List.of(new Address("h1", -1), new Address("h2", 5673), new Address("::1", 5674)),
                    o.addresses());
        }

        @Test
        @DisplayName("kombu's ;-separated failover URLs")
        void kombuFailoverList() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqp://u:p@h1:5672//;amqp://u:p@h2:5672//");
            assertEquals(List.of(new Address("h1", 5672), new Address("h2", 5672)), o.addresses());
        }

        @Test
        @DisplayName("different credentials per host are refused, without echoing passwords")
        void differentCredentialsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionOptions.fromUrl("amqp://u:first@h1,v:second@h2/"));
            assertFalse(e.getMessage().contains("first"), e.getMessage());
            assertFalse(e.getMessage().contains("second"), e.getMessage());
        }

        @Test
        @DisplayName("query parameters: heartbeat, timeouts, connection name, failover; others kept for the transport")
        void queryParameters() {
            ConnectionOptions o = ConnectionOptions.fromUrl(
                    "amqp://h/?heartbeat=15&connection_timeout=2500&connection_name=billing&failover=shuffle&x-custom=1");
            assertEquals(Duration.ofSeconds(15), o.heartbeat());
            assertEquals(Duration.ofMillis(2500), o.connectionTimeout());
            assertEquals("billing", o.connectionName());
            assertEquals(ConnectionOptions.HostSelection.SHUFFLE, o.hostSelection());
            assertEquals("1", o.parameters().get("x-custom"));
            assertEquals(Duration.ofMillis(1500), ConnectionOptions.fromUrl("amqp://h/?connect_timeout=1.5").connectionTimeout());
        }

        @Test
        @DisplayName("amqps turns TLS on with host name verification")
        void amqpsMeansTls() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqps://u:p@secure.example.com/");
            assertNotNull(o.tls());
            assertTrue(o.tls().verifyHostname());
        }

        @Test
        @DisplayName("memory:// is the default broker, memory://name a named one")
        void memoryUrls() {
            assertEquals("", ConnectionOptions.fromUrl("memory://").brokerName());
            assertEquals("tests-42", ConnectionOptions.fromUrl("memory://tests-42").brokerName());
            assertEquals("memory", ConnectionOptions.builder().build().scheme());
        }

        @Test
        @DisplayName("malformed URLs are clear errors")
        void malformed() {
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl("localhost:5672"));
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl("amqp://h:port/"));
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl("amqp://h:70000/"));
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl("amqp://h/?heartbeat=soon"));
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl("amqp://h//;memory://"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"amqp://guest:pw@127.0.0.1:-1/", "amqp://h:0/", "amqp://h:99999/", "amqp://h:+5672/",
                "amqp://h:65536/", "amqp://h1:5672,h2:-1/", "amqps://[::1]:-1/"})
        @DisplayName("an explicit port is a number from 1 to 65535: never a value that means 'the default' inside")
        void explicitPortsAreInRange(String url) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl(url));
            assertTrue(e.getMessage().contains("1 to 65535"), e.getMessage());
            assertFalse(e.getMessage().contains("pw"), "no password in " + e.getMessage());
        }

        @Test
        @DisplayName("a port set in code is 1 to 65535 too; address(host) is the scheme's default port")
        void portsInCode() {
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.builder().address("h", -1));
            assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.builder().address("h", 0));
            assertEquals(List.of(Address.defaultPort("h")), ConnectionOptions.builder().scheme("amqp").address("h").build().addresses());
            assertEquals(5672, ConnectionOptions.fromUrl("amqp://h/").addresses().get(0).portOr(5672));
        }
    }

    @Nested
    @DisplayName("verify_hostname changes hostname verification and nothing else")
    class VerifyHostname {

        private final TlsOptions custom = TlsOptions.builder()
                .trustStore(java.nio.file.Path.of("/etc/app/ca.p12"), "changeit").trustStoreType("JKS")
                .keyStore(java.nio.file.Path.of("/etc/app/client.p12"), "secret").build();

        @Test
        @DisplayName("given after TLS options set in code, it keeps their stores")
        void afterTlsSetInCode() {
            TlsOptions tls = ConnectionOptions.builder().scheme("amqps").tls(custom)
                    .parameter("verify_hostname", "false").build().tls();
            assertFalse(tls.verifyHostname());
            assertEquals(custom.trustStore(), tls.trustStore());
            assertEquals("changeit", tls.trustStorePassword());
            assertEquals("JKS", tls.trustStoreType());
            assertEquals(custom.keyStore(), tls.keyStore());
            assertEquals("secret", tls.keyStorePassword());
        }

        @Test
        @DisplayName("given before TLS options set in code, it still applies to them")
        void beforeTlsSetInCode() {
            TlsOptions tls = ConnectionOptions.fromUrl("amqps://h/?verify_hostname=false").toBuilder().build().tls();
            assertFalse(tls.verifyHostname());
            TlsOptions merged = ConnectionOptions.builder().scheme("amqps").parameter("verify_hostname", "FALSE")
                    .tls(custom).build().tls();
            assertFalse(merged.verifyHostname());
            assertEquals(custom.trustStore(), merged.trustStore());
        }

        @Test
        @DisplayName("without it, TLS options set in code are used as they are")
        void absent() {
            assertTrue(ConnectionOptions.builder().scheme("amqps").tls(custom).build().tls().verifyHostname());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"amqp://h/?verify_hostname=true", "amqps://h/?verify_hostname=no"})
        @DisplayName("on a connection without TLS (not a switch to TLS), or with a value other than true or false, it is an error naming the parameter")
        void refused(String url) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.fromUrl(url));
            assertTrue(e.getMessage().contains("verify_hostname"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("never shows credentials")
    class Masking {

        @Test
        @DisplayName("toString and redactedUrl mask the password")
        void masked() {
            ConnectionOptions o = ConnectionOptions.fromUrl("amqp://alice:hunter2@h1:5672,h2/prod");
            assertFalse(o.toString().contains("hunter2"), o.toString());
            assertFalse(o.redactedUrl().contains("hunter2"));
            assertEquals("amqp://alice:****@h1:5672,h2/prod", o.redactedUrl());
        }

        @Test
        @DisplayName("errors about a malformed URL mask the password")
        void errorsMasked() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionOptions.fromUrl("amqp://alice:hunter2@h:notaport/"));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }

        @Test
        @DisplayName("TLS store passwords are masked")
        void tlsMasked() {
            TlsOptions tls = TlsOptions.builder().trustStore(java.nio.file.Path.of("/tmp/ca.p12"), "changeit").build();
            assertFalse(tls.toString().contains("changeit"), tls.toString());
            ConnectionOptions o = ConnectionOptions.builder().scheme("amqps").tls(tls).build();
            assertFalse(o.toString().contains("changeit"));
        }
    }

    @Test
    @DisplayName("toBuilder keeps every setting")
    void toBuilderRoundTrip() {
        ConnectionOptions o = ConnectionOptions.fromUrl("amqp://u:p@h1,h2/v?heartbeat=5&connection_name=x&foo=bar");
        ConnectionOptions copy = o.toBuilder().build();
        assertEquals(o.redactedUrl(), copy.redactedUrl());
        assertEquals(o.password(), copy.password());
        assertEquals(o.heartbeat(), copy.heartbeat());
        assertEquals(o.connectionName(), copy.connectionName());
        assertEquals(o.parameters(), copy.parameters());
    }
}
