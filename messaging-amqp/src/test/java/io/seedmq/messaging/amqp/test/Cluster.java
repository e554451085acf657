package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The three-node test cluster started by {@code .ci/cluster start}.
 *
 * @param url one AMQP URL with the three nodes' addresses, first node first (with credentials:
 *     never print it, print {@link #options()}'s redacted form)
 * @param nodes the nodes, in the order of the URL
 */
public record Cluster(String url, List<ClusterNode> nodes) {

    /** @return options for the whole cluster (failover in the URL's order) with short timeouts */
    public ConnectionOptions options() {
        return builder().build();
    }

    /** @return a builder for the cluster's options with short timeouts, to adjust per test */
    public ConnectionOptions.Builder builder() {
        return testTimeouts(ConnectionOptions.fromUrl(url).toBuilder());
    }

    /**
     * @param first the node to try first
     * @return options for the whole cluster trying {@code first} first, then the others in order
     */
    public ConnectionOptions.Builder startingAt(ClusterNode first) {
        StringBuilder hosts = new StringBuilder();
        for (ClusterNode n : nodes) {
            if (n == first) {
                hosts.insert(0, address(n) + ",");
            } else {
                hosts.append(address(n)).append(',');
            }
        }
        String start = url.substring(0, url.indexOf("://") + 3);
        String rest = url.substring(url.indexOf('/', url.indexOf("://") + 3));
        return testTimeouts(ConnectionOptions.fromUrl(start + hosts.substring(0, hosts.length() - 1) + rest)
                .toBuilder());
    }

    private static String address(ClusterNode node) {
        String u = node.url();
        int from = u.indexOf("://") + 3;
        int to = u.indexOf('/', from);
        return u.substring(from, to < 0 ? u.length() : to);
    }

    /**
     * @param i 1, 2 or 3
     * @return that node
     */
    public ClusterNode node(int i) {
        return nodes.get(i - 1);
    }

    /**
     * @param name an Erlang node name
     * @return the node of that name
     */
    public Optional<ClusterNode> byName(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * @param queue a queue's name
     * @return the node holding its leader (quorum queue, stream), asked of a running node
     */
    public ClusterNode leaderOf(String queue) throws IOException {
        IOException last = null;
        for (ClusterNode n : nodes) {
            try {
                String leader = n.rabbitmqctl().leaderOf(queue);
                return byName(leader).orElseThrow(() -> new IOException("queue '" + queue + "' has leader '"
                        + leader + "', not a node of " + this));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts every node's RabbitMQ that a test left stopped; returns once all run. */
    public void startAll() throws IOException {
        for (ClusterNode n : nodes) {
            n.start();
        }
    }

    static ConnectionOptions.Builder testTimeouts(ConnectionOptions.Builder builder) {
        return builder.connectionTimeout(Duration.ofSeconds(5))
                .operationTimeout(Duration.ofSeconds(5))
                .recoveryInterval(Duration.ofMillis(500));
    }

    @Override
    public String toString() {
        return "Cluster[" + ConnectionOptions.fromUrl(url).redactedUrl() + ", " + nodes + "]";
    }
}
