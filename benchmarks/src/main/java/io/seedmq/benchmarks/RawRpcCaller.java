package io.seedmq.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RPC references on raw amqp-client: a server consuming a queue and replying to {@code reply-to}
 * with the request's correlation id (JSON in, JSON out, through Jackson as seedmq does), called
 * either by amqp-client's own {@link RpcClient} (one call at a time, direct reply-to) or by a
 * pipelined client: one channel, direct reply-to, its own map from correlation id to future.
 */
final class RawRpcCaller implements Caller {

    private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    private final Connection serverConnection;
    private final Connection clientConnection;
    private final Channel serverChannel;
    private final Channel clientChannel;
    private final String queue;
    private final RpcClient rpcClient;
    private final Map<String, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param url the broker
     * @param queue the server's queue, unique
     * @param pipelined the hand-written pipelined client rather than amqp-client's {@link RpcClient}
     */
    RawRpcCaller(String url, String queue, boolean pipelined) throws Exception {
        ConnectionFactory f = Raw.factory(url);
        this.queue = queue;
        this.serverConnection = f.newConnection("seedmq-benchmarks-raw-rpc (server)");
        this.clientConnection = f.newConnection("seedmq-benchmarks-raw-rpc (client)");
        this.serverChannel = serverConnection.createChannel();
        this.clientChannel = clientConnection.createChannel();
        // The server's own queue (clients publish to it by name): RabbitMQ 4.3 refuses transient shared ones.
        serverChannel.queueDeclare(queue, false, true, false, null);
        serverChannel.basicConsume(queue, false, server(serverChannel, () -> { }));
        if (pipelined) {
            this.rpcClient = null;
            clientChannel.basicConsume(DIRECT_REPLY_TO, true, replies(clientChannel, pending));
        } else {
            this.rpcClient = new RpcClient(new RpcClientParams().channel(clientChannel).exchange("")
                    .routingKey(queue).timeout(30_000));
        }
    }

    /**
     * @param beforeReply runs on the consumer's thread just before each reply is published (a
     *     server in confirm mode records the reply's sequence number there)
     * @return the raw server: acks each request on receipt, answers its JSON and publishes the
     *     answer to {@code reply-to} with the request's correlation id
     */
    static DefaultConsumer server(Channel channel, Runnable beforeReply) {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                byte[] reply = AddJson.answer(body);
                beforeReply.run();
                getChannel().basicPublish("", props.getReplyTo(), new AMQP.BasicProperties.Builder()
                        .correlationId(props.getCorrelationId()).contentType(AddJson.CONTENT_TYPE).build(), reply);
            }
        };
    }

    /** @return a consumer of replies completing the call of each reply's correlation id */
    static DefaultConsumer replies(Channel channel, Map<String, CompletableFuture<Integer>> calls) {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                CompletableFuture<Integer> call = calls.remove(props.getCorrelationId());
                if (call != null) {
                    call.complete(AddJson.result(body));
                }
            }
        };
    }

    @Override
    public CompletableFuture<Integer> add(int x, int y) throws Exception {
        byte[] request = AddJson.request(x, y);
        if (rpcClient != null) {
            byte[] reply = rpcClient.primitiveCall(request);
            return CompletableFuture.completedFuture(AddJson.result(reply));
        }
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Integer> call = new CompletableFuture<>();
        pending.put(id, call);
        // One publishing thread: the channel is not shared between publishers.
        clientChannel.basicPublish("", queue, new AMQP.BasicProperties.Builder().correlationId(id)
                .replyTo(DIRECT_REPLY_TO).contentType(AddJson.CONTENT_TYPE).build(), request);
        return call;
    }

    @Override
    public void close() throws Exception {
        try {
            if (rpcClient != null) {
                rpcClient.close();
            }
            serverChannel.queueDelete(queue);
        } finally {
            clientConnection.close();
            serverConnection.close();
        }
    }

    @Override
    public String toString() {
        return "raw RPC on " + queue;
    }
}
