package io.seedmq.messaging.internal;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.MDC;

/**
 * Puts the trace and span id of a running observation into the SLF4J MDC ({@code traceId},
 * {@code spanId}, the keys Micrometer Tracing's bridges use), so the handler's log lines join its
 * trace. Needs Micrometer Tracing, an optional dependency: without it, or without a tracing
 * handler on the registry, nothing is put.
 */
final class TraceMdc {

    /** The MDC key of the trace id. */
    static final String TRACE_ID = "traceId";
    /** The MDC key of the span id. */
    static final String SPAN_ID = "spanId";

    private static final Runnable NOTHING = () -> { };
    private static final boolean TRACING = tracingPresent();

    private TraceMdc() {
    }

    private static boolean tracingPresent() {
        try {
            Class.forName("io.micrometer.tracing.handler.TracingObservationHandler", false,
                    TraceMdc.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param context a started observation's context
     * @return restores the MDC as it was; call on the same thread
     */
    static Runnable put(Observation.Context context) {
        return TRACING ? Ids.put(context) : NOTHING;
    }

    /** Loaded only when Micrometer Tracing is there. */
    private static final class Ids {
        private Ids() {
        }

        static Runnable put(Observation.Context context) {
            TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
            if (tracing == null || tracing.getSpan() == null) {
                return NOTHING;
            }
            TraceContext ids = tracing.getSpan().context();
            String traceBefore = MDC.get(TRACE_ID);
            String spanBefore = MDC.get(SPAN_ID);
            MDC.put(TRACE_ID, ids.traceId());
            MDC.put(SPAN_ID, ids.spanId());
            return () -> {
                restore(TRACE_ID, traceBefore);
                restore(SPAN_ID, spanBefore);
            };
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
