package io.seedmq.messaging.internal;

import io.micrometer.observation.Observation;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.PublishWindow;
import io.seedmq.messaging.observation.PublishContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Producer} of an observed connection: each publish is one {@code seedmq.publish}
 * observation, from the call until the broker confirmed, returned or nacked it (retries
 * included), and the trace context a tracing handler writes goes into the message's headers. It
 * wraps the one publish path, so an unobserved connection runs that path untouched.
 */
final class ObservedProducer implements Producer {

    private final Producer producer;
    private final Observations observations;

    ObservedProducer(Producer producer, Observations observations) {
        this.producer = producer;
        this.observations = observations;
    }

    @Override
    public void publish(Object payload, Publish options) {
        Observation observation = observations.startPublish(options.exchange().name(), options.routingKey());
        try (Observation.Scope scope = observation.openScope()) {
            producer.publish(payload, traced(options, observation));
        } catch (RuntimeException | Error e) {
            Observations.stopPublish(observation, e);
            throw e;
        }
        Observations.stopPublish(observation, null);
    }

    @Override
    public CompletableFuture<Void> publishAsync(Object payload, Publish options) {
        Observation observation = observations.startPublish(options.exchange().name(), options.routingKey());
        CompletableFuture<Void> sent;
        try (Observation.Scope scope = observation.openScope()) {
            sent = producer.publishAsync(payload, traced(options, observation));
        } catch (RuntimeException | Error e) {
            Observations.stopPublish(observation, e);
            throw e;
        }
        return sent.whenComplete((ok, e) -> Observations.stopPublish(observation, e));
    }

    /** @return the publish with the trace context the tracing handler wrote, as headers; as it was when none */
    private static Publish traced(Publish options, Observation observation) {
        Map<String, String> carrier = ((PublishContext) observation.getContext()).getCarrier();
        return carrier == null || carrier.isEmpty() ? options : options.headers(carrier);
    }

    @Override
    public PublishWindow window() {
        return producer.window();
    }
}
