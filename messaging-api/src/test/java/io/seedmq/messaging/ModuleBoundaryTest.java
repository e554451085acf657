package io.seedmq.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.conformance.DeclaredModule;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module {@code io.seedmq.messaging} exports its API and SPI packages and nothing else. The
 * proof compiles small user modules on the module path against this build's classes, as an
 * application would be compiled: if an internal package were exported, the cases naming an
 * internal class would compile and fail here.
 */
@DisplayName("Module boundaries of io.seedmq.messaging")
class ModuleBoundaryTest {

    private static final String MODULE = "io.seedmq.messaging";

    private static final Set<String> API_PACKAGES = Set.of("io.seedmq.messaging", "io.seedmq.messaging.notify",
            "io.seedmq.messaging.observation", "io.seedmq.messaging.oslo", "io.seedmq.messaging.retry", "io.seedmq.messaging.rpc",
            "io.seedmq.messaging.serialization",
            "io.seedmq.messaging.spi");

    private static final Set<String> INTERNAL_PACKAGES = Set.of("io.seedmq.messaging.internal",
            "io.seedmq.messaging.oslo.internal", "io.seedmq.messaging.notify.internal",
            "io.seedmq.messaging.rpc.internal");

    /** Exported classes that cast to an internal class, with what they cast to: none may. */
    private static final Map<String, Set<String>> KNOWN_CASTS = Map.of();

    private static final Pattern CAST = Pattern.compile(
            "\\b(?:checkcast|instanceof)\\s+#\\d+\\s+// class (io/seedmq/messaging/(?:[a-z]+/)*internal/[\\w/$]+)");

    @TempDir
    static Path work;

    /** This build's classes of the API: an exploded module. */
    private static Path apiClasses;
    private static ModuleDescriptor descriptor;
    /** The API module and every module it requires, transitively, as a user would have them. */
    private static List<Path> modulePath;

    @BeforeAll
    static void findModules() {
        apiClasses = DeclaredModule.location(Connection.class);
        descriptor = DeclaredModule.of(Connection.class, MODULE);
        assertFalse(descriptor.isAutomatic(), MODULE + " must declare its module, not be an automatic one");
        modulePath = modulePath();
    }

    /** Resolves the API's requires against the test class path, where Maven put the dependency jars. */
    private static List<Path> modulePath() {
        Map<String, Path> available = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                continue;
            }
            try {
                ModuleFinder.of(path).findAll().forEach(m -> available.putIfAbsent(m.descriptor().name(), path));
            } catch (FindException e) {
                // Not usable as a module (no valid automatic name): no dependency of the API is such a jar.
            }
        }
        Set<Path> path = new LinkedHashSet<>(List.of(apiClasses));
        Deque<ModuleDescriptor> todo = new ArrayDeque<>(List.of(descriptor));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            for (ModuleDescriptor.Requires r : todo.pop().requires()) {
                if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)
                        || ModuleFinder.ofSystem().find(r.name()).isPresent() || !seen.add(r.name())) {
                    continue;
                }
                Path jar = available.get(r.name());
                assertNotNull(jar, "module " + r.name() + ", required by the API, is not on the test class path");
                path.add(jar);
                todo.push(ModuleFinder.of(jar).find(r.name()).orElseThrow().descriptor());
            }
        }
        return List.copyOf(path);
    }

    private record Compiled(boolean ok, List<Diagnostic<? extends JavaFileObject>> diagnostics) {

        String describe() {
            return diagnostics.stream().map(d -> d.getCode() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
        }
    }

    /** Compiles the module {@code app}, which requires only the API, holding one class {@code app.App}. */
    private static Compiled compileUserModule(String appClass) throws IOException {
        Path src = Files.createTempDirectory(work, "app");
        Path moduleInfo = Files.writeString(src.resolve("module-info.java"), "module app { requires " + MODULE + "; }\n");
        Files.createDirectories(src.resolve("app"));
        Path app = Files.writeString(src.resolve("app/App.java"), appClass);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-d", src.resolve("out").toString(),
                    "--module-path", modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
            boolean ok = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(moduleInfo, app)).call();
            return new Compiled(ok, diagnostics.getDiagnostics());
        }
    }

    @Test
    @DisplayName("the module exports exactly the API and SPI packages, to everyone, and keeps its internal packages")
    void exportsApiOnly() {
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
            assertFalse(e.isQualified(), e + " is exported to some modules only: the API is the same for everyone");
            exported.add(e.source());
        }
        assertEquals(new TreeSet<>(API_PACKAGES), exported);
        assertTrue(descriptor.packages().containsAll(INTERNAL_PACKAGES), "internal packages: " + descriptor.packages());
        Set<String> otherInternal = descriptor.packages().stream().filter(p -> p.contains(".internal"))
                .filter(p -> !INTERNAL_PACKAGES.contains(p)).collect(Collectors.toSet());
        assertEquals(Set.of(), otherInternal, "a new internal package: add it to INTERNAL_PACKAGES");
        assertTrue(descriptor.opens().isEmpty(), "opens: " + descriptor.opens());
    }

    @Test
    @DisplayName("the module uses TransportProvider, so transport modules on the module path are bound by ServiceLoader")
    void usesTransportProvider() {
        assertEquals(Set.of("io.seedmq.messaging.spi.TransportProvider"), descriptor.uses());
    }

    @Test
    @DisplayName("a user module compiles against every API package and the SPI, and reads Jackson through the API")
    void userModuleSeesApi() throws IOException {
        Compiled compiled = compileUserModule("""
                package app;

                import com.fasterxml.jackson.databind.ObjectMapper;
                import io.seedmq.messaging.Connection;
                import io.seedmq.messaging.ConnectionListener;
                import io.seedmq.messaging.notify.Notifier;
                import io.seedmq.messaging.retry.RetryPolicy;
                import io.seedmq.messaging.rpc.RpcClient;
                import io.seedmq.messaging.serialization.JsonSerializer;
                import io.seedmq.messaging.spi.TransportProvider;

                public final class App {
                    static final Class<?>[] USED = {Connection.class, ConnectionListener.class, Notifier.class,
                            RetryPolicy.class, RpcClient.class, JsonSerializer.class, TransportProvider.class,
                            ObjectMapper.class};
                }
                """);
        assertTrue(compiled.ok(), compiled.describe());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"io.seedmq.messaging.internal.DefaultConnection", "io.seedmq.messaging.oslo.internal.OsloCodec",
            "io.seedmq.messaging.rpc.internal.DefaultRpcClient", "io.seedmq.messaging.notify.internal.DefaultNotifier"})
    @DisplayName("a user module naming a public class of an internal package does not compile: the package is not visible")
    void internalClassIsNotReachable(String internalClass) throws IOException {
        String pkg = internalClass.substring(0, internalClass.lastIndexOf('.'));
        Compiled compiled = compileUserModule("""
                package app;

                public final class App {
                    static final Class<?> USED = %s.class;
                }
                """.formatted(internalClass));
        assertFalse(compiled.ok(), internalClass + " was reachable from a user module");
        assertTrue(compiled.diagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
                        && "compiler.err.package.not.visible".equals(d.getCode())
                        && d.getMessage(Locale.ROOT).contains(pkg)),
                "expected 'package " + pkg + " is not visible', got:\n" + compiled.describe());
    }

    @Test
    @DisplayName("no class of an exported package casts to an internal class, or tests for one")
    void apiNeverCastsToInternal() throws IOException {
        java.util.spi.ToolProvider javap = java.util.spi.ToolProvider.findFirst("javap")
                .orElseThrow(() -> new AssertionError("the tests need a JDK with javap"));
        Map<String, Set<String>> casts = new TreeMap<>();
        for (String pkg : API_PACKAGES) {
            Path dir = apiClasses.resolve(pkg.replace('.', '/'));
            List<Path> classes;
            try (Stream<Path> files = Files.list(dir)) {
                classes = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
            }
            for (Path classFile : classes) {
                StringWriter out = new StringWriter();
                int status = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", classFile.toString());
                assertEquals(0, status, out.toString());
                String name = pkg + "." + classFile.getFileName().toString().replaceFirst("\\.class$", "");
                Matcher m = CAST.matcher(out.toString());
                while (m.find()) {
                    // A nested class counts as its top-level class, the file a reader opens.
                    casts.computeIfAbsent(name.replaceFirst("\\$.*", ""), k -> new TreeSet<>())
                            .add(m.group(1).replace('/', '.'));
                }
            }
        }
        assertEquals(KNOWN_CASTS, casts, "exported classes casting to internal ones: go through an API or SPI type");
    }
}
