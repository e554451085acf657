package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Finds the fault-injection broker once per JVM: the node named by
 * {@code SEEDMQ_FAULT_RABBITMQ_NODE} (default {@code seedmqfault@localhost}, as started by
 * {@code .ci/fault-broker start}) reachable at {@code SEEDMQ_FAULT_AMQP_URL} (default
 * {@code amqp://guest:guest@127.0.0.1:5673/}), with a usable {@code rabbitmqctl}. It is never the
 * shared broker of the other tests, so restarting it disturbs nobody. Without it the tests of the
 * class are skipped with the reason, or fail when {@code SEEDMQ_REQUIRE_BROKER=true}.
 */
public final class FaultBrokerExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private static final String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5673/";
    private static final String DEFAULT_NODE = "seedmqfault@localhost";

    private static FaultNode endpoint;
    private static String reason;
    private static boolean resolved;

    /** For JUnit. */
    public FaultBrokerExtension() {
    }

    private static synchronized void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        String url = BrokerProbe.env("SEEDMQ_FAULT_AMQP_URL", DEFAULT_URL);
        String node = BrokerProbe.env("SEEDMQ_FAULT_RABBITMQ_NODE", DEFAULT_NODE);
        Rabbitmqctl ctl = new Rabbitmqctl(node);
        if (!BrokerProbe.answers(url)) {
            reason = "no fault-injection broker answers at " + ConnectionOptions.fromUrl(url).redactedUrl()
                    + " (start one with .ci/fault-broker start)";
        } else if (!ctl.usable()) {
            reason = "rabbitmqctl -n " + node + " does not reach the fault-injection broker";
        } else {
            endpoint = new FaultNode(url, ctl);
        }
    }

    /**
     * Skips the class before it is made: a class with one instance for all its tests asks for the
     * node in its constructor, before {@link #beforeAll} could skip it. When the node is required,
     * the class runs on, and {@link #beforeAll} fails it.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        resolve();
        if (endpoint == null && !BrokerProbe.required()) {
            return ConditionEvaluationResult.disabled(reason);
        }
        return ConditionEvaluationResult.enabled("the fault-injection broker answers");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        resolve();
        if (endpoint == null) {
            BrokerProbe.missing(reason);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FaultNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        resolve();
        return endpoint;
    }
}
