package io.seedmq.messaging.inmemory;

import java.util.Arrays;
import java.util.Map;

/**
 * RabbitMQ's headers exchange matching: {@code x-match} {@code all} (default), {@code any},
 * {@code all-with-x} or {@code any-with-x}. Binding arguments starting with {@code x-} take part
 * only in the {@code -with-x} variants; a binding argument without a value asks for presence only.
 */
final class HeadersMatch {
    private HeadersMatch() {
    }

    static boolean matches(Map<String, Object> bindingArgs, Map<String, Object> headers) {
        Object mode = bindingArgs.get("x-match");
        String m = mode == null ? "all" : mode.toString();
        boolean any = m.startsWith("any");
        boolean withX = m.endsWith("-with-x");
        for (Map.Entry<String, Object> arg : bindingArgs.entrySet()) {
            String key = arg.getKey();
            if (key.equals("x-match") || (!withX && key.startsWith("x-"))) {
                continue;
            }
            boolean hit = headers.containsKey(key)
                    && (arg.getValue() == null || valueEquals(arg.getValue(), headers.get(key)));
            if (any && hit) {
                return true;
            }
            if (!any && !hit) {
                return false;
            }
        }
        return !any;
    }

    static boolean valueEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            boolean integral = !(x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float);
            return integral ? x.longValue() == y.longValue() : x.doubleValue() == y.doubleValue();
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof CharSequence && b instanceof CharSequence) {
            return a.toString().equals(b.toString());
        }
        return a.equals(b);
    }
}
