package io.seedmq.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.rpc.RpcClientOptions;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Options are final classes, not records, so a new option never breaks a caller: made only by a
 * builder, with {@code toBuilder()} to derive variants.
 */
@DisplayName("Options follow one convention")
class OptionsConventionTest {

    static Stream<Class<?>> options() {
        return Stream.of(ConnectionOptions.class, TlsOptions.class, NotifierOptions.class, RpcClientOptions.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    @DisplayName("a final class, not a record, whose constructors and builder's constructors are private")
    void finalClassWithPrivateConstructors(Class<?> type) throws Exception {
        assertTrue(Modifier.isFinal(type.getModifiers()), type + " is not final");
        assertFalse(type.isRecord(), type + " is a record: a new component would break callers");
        Class<?> builder = type.getMethod("builder").getReturnType();
        assertEquals(type.getSimpleName() + ".Builder", builder.getEnclosingClass().getSimpleName() + "." + builder.getSimpleName());
        for (Class<?> c : new Class<?>[] {type, builder}) {
            for (Constructor<?> constructor : c.getDeclaredConstructors()) {
                assertTrue(Modifier.isPrivate(constructor.getModifiers()), constructor + " is not private");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    @DisplayName("a static builder() and an instance toBuilder() returning the same Builder")
    void builderAndToBuilder(Class<?> type) throws Exception {
        Method builder = type.getMethod("builder");
        assertTrue(Modifier.isStatic(builder.getModifiers()));
        Method toBuilder = type.getMethod("toBuilder");
        assertFalse(Modifier.isStatic(toBuilder.getModifiers()));
        assertEquals(builder.getReturnType(), toBuilder.getReturnType());
    }

    @Test
    @DisplayName("RpcClientOptions: defaults, validation on build, and toBuilder keeping every setting")
    void rpcClientOptions() {
        RpcClientOptions defaults = RpcClientOptions.defaults();
        assertEquals(RpcClientOptions.DEFAULT_TIMEOUT, defaults.timeout());
        assertEquals("openstack", defaults.controlExchange());
        assertFalse(defaults.failIfUnroutable());
        RpcClientOptions o = RpcClientOptions.builder().timeout(Duration.ofSeconds(5)).versionCap("1.4")
                .controlExchange("nova").failIfUnroutable(true).build();
        RpcClientOptions copy = o.toBuilder().build();
        assertEquals(Duration.ofSeconds(5), copy.timeout());
        assertEquals("1.4", copy.versionCap());
        assertEquals("nova", copy.controlExchange());
        assertTrue(copy.failIfUnroutable());
        assertThrows(IllegalArgumentException.class,
                () -> RpcClientOptions.builder().timeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> RpcClientOptions.builder().versionCap("one").build());
    }

    @Test
    @DisplayName("TlsOptions: toBuilder keeps every setting")
    void tlsToBuilder() {
        TlsOptions tls = TlsOptions.builder().trustStore(Path.of("/etc/ca.p12"), "a").trustStoreType("JKS")
                .keyStore(Path.of("/etc/client.p12"), "b").keyStoreType("JKS").verifyHostname(false).build();
        TlsOptions copy = tls.toBuilder().build();
        assertEquals(tls.toString(), copy.toString());
        assertEquals("a", copy.trustStorePassword());
        assertEquals("b", copy.keyStorePassword());
        assertEquals("JKS", copy.keyStoreType());
        assertTrue(TlsOptions.defaults().verifyHostname());
    }
}
