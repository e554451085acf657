package io.seedmq.messaging.internal;

import io.micrometer.observation.Observation;
import io.seedmq.messaging.observation.ProcessContext;

/**
 * One handling of a message, observed: started before the handler, in scope (and in the MDC)
 * while the handler runs on its thread, stopped once when the handling is done, however it ended.
 */
final class HandleObservation {

    private final Observation observation;
    private final Observation.Scope scope;
    private final Runnable mdc;

    private HandleObservation(Observation observation) {
        this.observation = observation;
        this.scope = observation.openScope();
        this.mdc = TraceMdc.put(observation.getContext());
    }

    /**
     * @param observations the connection's
     * @param context what the handling is observed as
     * @param message the message; it keeps the context, so the service can record an error it answered
     * @return the observation, started and in scope on the calling thread
     */
    static HandleObservation start(Observations observations, ProcessContext context, DefaultMessage message) {
        message.observedAs(context);
        return new HandleObservation(observations.startProcess(context));
    }

    /** Leaves the scope (and the MDC) on the thread that started it: the handler returned. */
    void closeScope() {
        mdc.run();
        scope.close();
    }

    /** @param failure what the handler threw, or {@code null} */
    void stop(Throwable failure) {
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }
}
