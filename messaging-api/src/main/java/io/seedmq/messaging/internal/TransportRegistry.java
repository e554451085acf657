package io.seedmq.messaging.internal;

import io.seedmq.messaging.UnsupportedSchemeException;
import io.seedmq.messaging.spi.TransportProvider;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds transport providers on the class path by URL scheme, once. */
public final class TransportRegistry {

    private static volatile Map<String, TransportProvider> providers;

    private TransportRegistry() {
    }

    /**
     * @param scheme a URL scheme
     * @return the provider for it
     * @throws UnsupportedSchemeException naming the available schemes if there is none
     */
    public static TransportProvider provider(String scheme) {
        TransportProvider provider = providers().get(scheme.toLowerCase(Locale.ROOT));
        if (provider == null) {
            throw new UnsupportedSchemeException("no transport for scheme '" + scheme + "://' on the class path; "
                    + "available: " + (providers().isEmpty() ? "none (add messaging-inmemory or messaging-amqp)"
                    : String.join(", ", providers().keySet().stream().map(s -> s + "://").toList())));
        }
        return provider;
    }

    private static Map<String, TransportProvider> providers() {
        Map<String, TransportProvider> found = providers;
        if (found == null) {
            synchronized (TransportRegistry.class) {
                found = providers;
                if (found == null) {
                    found = new TreeMap<>();
                    for (TransportProvider p : ServiceLoader.load(TransportProvider.class,
                            TransportRegistry.class.getClassLoader())) {
                        for (String s : p.schemes()) {
                            found.putIfAbsent(s.toLowerCase(Locale.ROOT), p);
                        }
                    }
                    providers = found;
                }
            }
        }
        return found;
    }
}
