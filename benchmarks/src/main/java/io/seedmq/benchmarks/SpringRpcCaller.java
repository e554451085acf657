package io.seedmq.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.adapter.MessageListenerAdapter;

/**
 * The Spring AMQP side of the RPC scenarios. The server is a {@link DirectMessageListenerContainer}
 * (the container acknowledging each request after the listener returns) with a
 * {@link MessageListenerAdapter} around a plain object, which replies to the request's
 * {@code reply-to} with its correlation id, as {@code @RabbitListener} methods returning a value
 * do. The client is {@link RabbitTemplate#sendAndReceive} for one call at a time, or an
 * {@link AsyncRabbitTemplate} over the same template for calls outstanding; both take replies by
 * direct reply-to, Spring's default. Bodies are the raw references' JSON ({@link AddJson}); client
 * and server have a connection factory each, and no publisher confirms, as the raw pair.
 */
final class SpringRpcCaller implements Caller {

    private static final long REPLY_TIMEOUT_MILLIS = 30_000;

    private final CachingConnectionFactory serverConnections;
    private final CachingConnectionFactory clientConnections;
    private final RabbitAdmin admin;
    private final DirectMessageListenerContainer server;
    private final RabbitTemplate template;
    private final AsyncRabbitTemplate asyncTemplate;
    private final String queue;

    /**
     * @param url the broker
     * @param queue the server's queue, unique
     * @param pipelined the {@link AsyncRabbitTemplate} rather than the blocking {@link RabbitTemplate#sendAndReceive}
     */
    SpringRpcCaller(String url, String queue, boolean pipelined) throws Exception {
        this.queue = queue;
        this.serverConnections = SpringAmqp.connectionFactory(url, "rpc server", ConfirmType.NONE);
        this.clientConnections = SpringAmqp.connectionFactory(url, "rpc client", ConfirmType.NONE);
        this.admin = new RabbitAdmin(serverConnections);
        admin.declareQueue(new Queue(queue, false, false, false));
        MessageListenerAdapter adapter = new MessageListenerAdapter(new AddServer());
        adapter.setReplyPostProcessor((request, reply) -> {
            reply.getMessageProperties().setContentType(AddJson.CONTENT_TYPE);
            reply.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
            return reply;
        });
        this.server = SpringAmqp.container(serverConnections, queue, AcknowledgeMode.AUTO, 0, adapter);
        this.template = new RabbitTemplate(clientConnections);
        template.setReplyTimeout(REPLY_TIMEOUT_MILLIS);
        if (pipelined) {
            this.asyncTemplate = new AsyncRabbitTemplate(template);
            asyncTemplate.setReceiveTimeout(REPLY_TIMEOUT_MILLIS);
            asyncTemplate.start();
        } else {
            this.asyncTemplate = null;
        }
    }

    /** The server's endpoint, called reflectively by the adapter with the request's body ({@code byte[]}, as it is not text). */
    public static final class AddServer {
        /**
         * @param request the JSON request
         * @return the JSON reply
         */
        public byte[] handleMessage(byte[] request) throws IOException {
            return AddJson.answer(request);
        }
    }

    @Override
    public CompletableFuture<Integer> add(int x, int y) throws Exception {
        Message request = MessageBuilder.withBody(AddJson.request(x, y)).setContentType(AddJson.CONTENT_TYPE)
                .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT).build();
        if (asyncTemplate == null) {
            Message reply = template.sendAndReceive("", queue, request);
            if (reply == null) {
                throw new TimeoutException("no reply within " + REPLY_TIMEOUT_MILLIS + " ms");
            }
            return CompletableFuture.completedFuture(AddJson.result(reply.getBody()));
        }
        return asyncTemplate.sendAndReceive("", queue, request).thenApply(reply -> {
            try {
                return AddJson.result(reply.getBody());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        try {
            if (asyncTemplate != null) {
                asyncTemplate.stop();
            }
            template.stop();
            server.stop();
            admin.deleteQueue(queue);
        } finally {
            clientConnections.destroy();
            serverConnections.destroy();
        }
    }

    @Override
    public String toString() {
        return "Spring AMQP RPC on " + queue;
    }
}
