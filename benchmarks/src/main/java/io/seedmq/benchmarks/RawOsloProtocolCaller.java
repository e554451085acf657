package io.seedmq.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RPC reference that does the AMQP work of oslo's protocol, as seedmq does it on
 * {@code OsloTopology.historical()}, by hand on raw amqp-client: the request published in confirm
 * mode, with an expiration, through a topic exchange to the server's shared (transient) queue; the
 * server acks each request on receipt and publishes its reply, also confirmed, through the default
 * exchange to the caller's own transient {@code reply_} queue (with {@code x-expires}), consumed
 * with automatic acks. The bodies are the same small JSON as {@link RawRpcCaller}'s, without
 * oslo's envelope, context and ids. Against {@link RawRpcCaller} (direct reply-to, no confirms, no
 * exchange) it measures what the protocol costs; against seedmq, what seedmq adds to it.
 */
final class RawOsloProtocolCaller implements Caller {

    /** seedmq's default call timeout, sent as each request's expiration as seedmq sends it. */
    private static final String EXPIRATION_MS = "60000";
    /** As seedmq's server: its default concurrency (8) times two. */
    private static final int SERVER_PREFETCH = 16;

    private final Connection serverConnection;
    private final Connection clientConnection;
    private final Channel serverChannel;
    private final Channel clientChannel;
    private final String exchange;
    private final String queue;
    private final String replyQueue;
    private final Map<String, CompletableFuture<Integer>> calls = new ConcurrentHashMap<>();
    /** The client's unconfirmed requests by publish sequence number: a nack fails its call. */
    private final ConcurrentNavigableMap<Long, String> unconfirmedRequests = new ConcurrentSkipListMap<>();
    /** The server's unconfirmed replies: tracked as seedmq tracks them, and dropped on their confirm. */
    private final ConcurrentNavigableMap<Long, Boolean> unconfirmedReplies = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param url the broker
     * @param name unique: the server's queue, its exchange with {@code -x}, and the reply queue {@code reply_<name>}
     */
    RawOsloProtocolCaller(String url, String name) throws Exception {
        ConnectionFactory f = Raw.factory(url);
        this.queue = name;
        this.exchange = name + "-x";
        this.replyQueue = "reply_" + name;
        this.serverConnection = f.newConnection("seedmq-benchmarks-raw-oslo-rpc (server)");
        this.clientConnection = f.newConnection("seedmq-benchmarks-raw-oslo-rpc (client)");
        this.serverChannel = serverConnection.createChannel();
        this.clientChannel = clientConnection.createChannel();
        // Transient and non-exclusive, as oslo 14.0.3's defaults: RabbitMQ before 4.3 accepts them.
        serverChannel.exchangeDeclare(exchange, "topic", false, false, null);
        serverChannel.queueDeclare(queue, false, false, false, null);
        serverChannel.queueBind(queue, exchange, queue);
        serverChannel.confirmSelect();
        serverChannel.addConfirmListener(confirmed(unconfirmedReplies, null));
        serverChannel.basicQos(SERVER_PREFETCH);
        serverChannel.basicConsume(queue, false, RawRpcCaller.server(serverChannel,
                () -> unconfirmedReplies.put(serverChannel.getNextPublishSeqNo(), Boolean.TRUE)));
        clientChannel.queueDeclare(replyQueue, false, false, false, Map.of("x-expires", 1_800_000));
        clientChannel.confirmSelect();
        clientChannel.addConfirmListener(confirmed(unconfirmedRequests, calls));
        clientChannel.basicConsume(replyQueue, true, RawRpcCaller.replies(clientChannel, calls));
    }

    /** Drops confirmed publishes; a nack fails the call it belongs to, when {@code calls} is given. */
    private static <V> ConfirmListener confirmed(ConcurrentNavigableMap<Long, V> unconfirmed,
                                                 Map<String, CompletableFuture<Integer>> calls) {
        return new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, false);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, true);
            }

            private void settle(long seq, boolean multiple, boolean nack) {
                Map<Long, V> done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
                done.forEach((s, v) -> {
                    CompletableFuture<Integer> call = nack && calls != null ? calls.remove((String) v) : null;
                    if (call != null) {
                        call.completeExceptionally(new IOException("the broker nacked request " + v));
                    }
                });
                done.clear();
            }
        };
    }

    @Override
    public CompletableFuture<Integer> add(int x, int y) throws Exception {
        byte[] request = AddJson.request(x, y);
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Integer> call = new CompletableFuture<>();
        calls.put(id, call);
        // One calling thread: the channel is not shared between publishers.
        unconfirmedRequests.put(clientChannel.getNextPublishSeqNo(), id);
        clientChannel.basicPublish(exchange, queue, new AMQP.BasicProperties.Builder().correlationId(id)
                .replyTo(replyQueue).expiration(EXPIRATION_MS).contentType(AddJson.CONTENT_TYPE).build(), request);
        return call;
    }

    @Override
    public void close() throws Exception {
        try {
            serverChannel.queueDelete(queue);
            serverChannel.exchangeDelete(exchange);
            clientChannel.queueDelete(replyQueue);
        } finally {
            clientConnection.close();
            serverConnection.close();
        }
    }

    @Override
    public String toString() {
        return "raw RPC on oslo's AMQP protocol, " + queue;
    }
}
