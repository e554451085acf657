package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Finds the test cluster once per JVM, as {@code .ci/cluster start} prints it:
 * {@code SEEDMQ_CLUSTER_AMQP_URL} (default the three nodes at {@code 127.0.0.1:5681..5683}),
 * {@code SEEDMQ_CLUSTER_NODE<i>_AMQP_URL} and {@code SEEDMQ_CLUSTER_NODE<i>} (default
 * {@code seedmqc<i>@localhost}) for i = 1..3, each node answering AMQP and reached by
 * {@code rabbitmqctl}. It is never the shared broker of the other tests. Without it the tests of the
 * class are skipped with the reason, or fail when {@code SEEDMQ_REQUIRE_BROKER=true}.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static Cluster cluster;
    private static String reason;
    private static boolean resolved;

    /** For JUnit. */
    public ClusterExtension() {
    }

    private static synchronized void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        List<ClusterNode> nodes = new ArrayList<>();
        StringBuilder addresses = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            int port = 5680 + i;
            String url = BrokerProbe.env("SEEDMQ_CLUSTER_NODE" + i + "_AMQP_URL", "amqp://guest:guest@127.0.0.1:" + port + "/");
            String name = BrokerProbe.env("SEEDMQ_CLUSTER_NODE" + i, "seedmqc" + i + "@localhost");
            ClusterNode node = new ClusterNode(name, url, new Rabbitmqctl(name));
            if (!BrokerProbe.answers(url)) {
                reason = "cluster node " + name + " does not answer at " + ConnectionOptions.fromUrl(url).redactedUrl()
                        + " (start the cluster with .ci/cluster start)";
                return;
            }
            if (!node.rabbitmqctl().usable()) {
                reason = "rabbitmqctl -n " + name + " does not reach the cluster node";
                return;
            }
            nodes.add(node);
            addresses.append(i == 1 ? "" : ",").append("guest:guest@127.0.0.1:").append(port);
        }
        cluster = new Cluster(BrokerProbe.env("SEEDMQ_CLUSTER_AMQP_URL", "amqp://" + addresses + "/"), List.copyOf(nodes));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        resolve();
        if (cluster == null) {
            BrokerProbe.missing(reason);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        resolve();
        return cluster;
    }
}
