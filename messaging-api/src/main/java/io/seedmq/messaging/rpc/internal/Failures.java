package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.rpc.NoSuchRpcMethodException;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.UnsupportedVersionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * oslo's failure format, both ways: an exception becomes {@code {class, module, message, tb, args,
 * kwargs}}; a received failure becomes a {@link RemoteException} (or the typed subclass it names).
 */
public final class Failures {

    /** The module oslo's dispatcher failures live in. */
    public static final String OSLO_DISPATCHER = "oslo_messaging.rpc.dispatcher";
    /** Python's built-in exceptions' module; argument errors are sent as its {@code TypeError}. */
    public static final String PYTHON_BUILTINS = "builtins";

    private static final String SEEDMQ_RPC = "io.seedmq.messaging.rpc";

    private Failures() {
    }

    /**
     * @param mapper makes the JSON
     * @param error what the endpoint or the dispatcher threw
     * @return the failure as oslo sends it (before it is written as a JSON string)
     */
    public static ObjectNode toFailure(ObjectMapper mapper, Throwable error) {
        String cls;
        String module;
        String message;
        List<Object> args;
        Map<String, Object> kwargs = Map.of();
        if (error instanceof RemoteException remote) {
            // Re-raising a remote failure passes the original on, as oslo does with its _Remote types.
            cls = remote.remoteClass();
            module = remote.remoteModule();
            message = remote.remoteMessage();
            args = remote.remoteArgs();
            kwargs = remote.remoteKwargs();
        } else if (error instanceof DispatchFailure dispatch) {
            cls = dispatch.pythonClass();
            module = dispatch.pythonModule();
            message = dispatch.getMessage();
            args = List.of(message);
        } else {
            Class<?> type = error.getClass();
            String pkg = type.getPackageName();
            cls = pkg.isEmpty() ? type.getName() : type.getName().substring(pkg.length() + 1);
            module = pkg;
            message = error.getMessage() == null ? "" : error.getMessage();
            args = error.getMessage() == null ? List.of() : List.of(message);
        }
        ObjectNode failure = mapper.createObjectNode();
        failure.put("class", cls);
        failure.put("module", module);
        failure.put("message", message);
        ArrayNode tb = failure.putArray("tb");
        traceback(error).forEach(tb::add);
        failure.set("args", mapper.valueToTree(args));
        failure.set("kwargs", mapper.valueToTree(kwargs));
        return failure;
    }

    private static List<String> traceback(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        List<String> lines = new ArrayList<>();
        for (String line : out.toString().split("\\R")) {
            if (!line.isEmpty()) {
                lines.add(line + "\n");
            }
        }
        return lines;
    }

    /**
     * @param mapper reads the JSON
     * @param failure the reply's {@code failure}: a JSON string (as oslo sends it) or an object
     * @return the exception to raise on the caller's side
     */
    public static RemoteException fromFailure(ObjectMapper mapper, JsonNode failure) {
        JsonNode data = failure;
        if (failure.isTextual()) {
            try {
                data = mapper.readTree(failure.textValue());
            } catch (IOException e) {
                throw new DecodeException("reply carries a failure that is not JSON: " + e.getMessage(), e);
            }
        }
        if (data == null || !data.isObject()) {
            throw new DecodeException("reply carries a failure that is not a JSON object");
        }
        String cls = data.path("class").asText("");
        String module = data.path("module").asText("");
        String message = data.path("message").asText("");
        List<String> tb = new ArrayList<>();
        data.path("tb").forEach(line -> tb.add(line.asText()));
        List<Object> args = new ArrayList<>();
        data.path("args").forEach(arg -> args.add(mapper.convertValue(arg, Object.class)));
        Map<String, Object> kwargs = new LinkedHashMap<>();
        data.path("kwargs").fields().forEachRemaining(e -> kwargs.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class)));
        boolean dispatcher = module.equals(OSLO_DISPATCHER) || module.equals(SEEDMQ_RPC);
        if (dispatcher && (cls.equals(NoSuchRpcMethodException.OSLO_CLASS) || cls.equals("NoSuchRpcMethodException"))) {
            return new NoSuchRpcMethodException(cls, module, message, tb, args, kwargs);
        }
        if (dispatcher && (cls.equals(UnsupportedVersionException.OSLO_CLASS) || cls.equals("UnsupportedVersionException"))) {
            return new UnsupportedVersionException(cls, module, message, tb, args, kwargs);
        }
        return new RemoteException(cls, module, message, tb, args, kwargs);
    }

    /**
     * A failure of the dispatcher itself, sent under the Python name oslo gives it, so Python
     * callers see the exception an oslo server would raise.
     */
    public static final class DispatchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String pythonModule;
        private final String pythonClass;

        private DispatchFailure(String pythonModule, String pythonClass, String message) {
            super(message, null, false, true);
            this.pythonModule = pythonModule;
            this.pythonClass = pythonClass;
        }

        /**
         * @param method the method asked for
         * @return oslo's {@code NoSuchMethod}
         */
        public static DispatchFailure noSuchMethod(String method) {
            return new DispatchFailure(OSLO_DISPATCHER, NoSuchRpcMethodException.OSLO_CLASS,
                    "Endpoint does not support RPC method " + method);
        }

        /**
         * @param version the version asked for
         * @param method the method asked for
         * @return oslo's {@code UnsupportedVersion}
         */
        public static DispatchFailure unsupportedVersion(String version, String method) {
            return new DispatchFailure(OSLO_DISPATCHER, UnsupportedVersionException.OSLO_CLASS,
                    "Endpoint does not support RPC version " + version + ". Attempted method: " + method);
        }

        /**
         * @param message what is wrong with the arguments
         * @return Python's {@code TypeError}, what an oslo server raises for bad arguments
         */
        public static DispatchFailure badArguments(String message) {
            return new DispatchFailure(PYTHON_BUILTINS, "TypeError", message);
        }

        /** @return the Python module named in the failure */
        public String pythonModule() {
            return pythonModule;
        }

        /** @return the Python class named in the failure */
        public String pythonClass() {
            return pythonClass;
        }
    }
}
