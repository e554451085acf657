package io.seedmq.messaging.conformance;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The module a build declares, read from its {@code module-info.class}: for the tests by which
 * every module pins what it exports, opens, uses and provides. Tests run on the class path, where
 * the descriptor is ignored, so it is read from the classes directory (or jar) itself.
 */
public final class DeclaredModule {

    private DeclaredModule() {
    }

    /**
     * @param type a class of the module
     * @return the classes directory or jar it was loaded from
     */
    public static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type, e);
        }
    }

    /**
     * @param type a class of the module
     * @param name the module's name
     * @return its descriptor
     * @throws AssertionError if the classes of {@code type} declare no module of that name
     */
    public static ModuleDescriptor of(Class<?> type, String name) {
        Path classes = location(type);
        return ModuleFinder.of(classes).find(name).map(ModuleReference::descriptor)
                .orElseThrow(() -> new AssertionError(classes + " holds no module-info.class of " + name));
    }
}
