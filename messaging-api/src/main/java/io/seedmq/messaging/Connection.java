package io.seedmq.messaging;

import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Transports;
import java.util.Optional;

/**
 * A connection to a broker, and the entry point of seedmq. The transport is chosen by the URL
 * scheme: {@code memory://} runs on the embedded broker, {@code amqp://}, {@code amqps://} and
 * {@code rabbit://} on RabbitMQ. Application code never names a transport class.
 *
 * <pre>{@code
 * try (Connection conn = Connection.open("amqp://guest:guest@localhost:5672/%2F")) {
 *     conn.producer().publish("disk full", Publish.to(Exchange.topic("topic_logs")).routingKey("mysql.error"));
 *
 *     Consumer consumer = conn.consumer(
 *             ConsumerOptions.builder().queue(Queue.named("task_queue")).prefetch(1).build(),
 *             message -> { work(message.payload(String.class)); message.ack(); });
 *     consumer.start();
 * }
 * }</pre>
 *
 * <p>Thread-safe: one connection per service is the norm; producers, consumers and simple queues
 * made from it share it. Declarations made through it are remembered, so repeated publishes do
 * not re-declare; the memory is cleared when the connection recovers from a loss. Closing the
 * connection cancels its consumers and returns their unacknowledged messages to their queues.
 */
public interface Connection extends AutoCloseable {

    /**
     * Opens a connection from a URL.
     *
     * @param url for example {@code memory://}, {@code amqp://user:pass@host:5672/vhost}
     * @return an open connection
     * @throws IllegalArgumentException if the URL is malformed
     * @throws UnsupportedSchemeException if no transport on the class path handles its scheme
     * @throws AuthenticationException if the broker refuses the credentials
     * @throws ConnectionException if the broker cannot be reached within the connection timeout
     */
    static Connection open(String url) {
        return open(ConnectionOptions.fromUrl(url));
    }

    /**
     * Opens a connection from options.
     *
     * @param options the options
     * @return an open connection
     * @throws UnsupportedSchemeException if no transport on the class path handles the scheme
     * @throws AuthenticationException if the broker refuses the credentials
     * @throws ConnectionException if the broker cannot be reached within the connection timeout, on
     *     every attempt of the options' {@link ConnectionOptions#retryPolicy()}
     */
    static Connection open(ConnectionOptions options) {
        return Transports.open(options, transport -> transport);
    }

    /** @return the options it was opened with */
    ConnectionOptions options();

    /** @return the serializers used to encode and decode payloads; more can be registered */
    SerializerRegistry serializers();

    /** @return a producer; producers are cheap and thread-safe */
    Producer producer();

    /**
     * @param options queues and how to consume them
     * @param handler receives the messages
     * @return a consumer, not yet started
     */
    Consumer consumer(ConsumerOptions options, MessageHandler handler);

    /**
     * @param name the queue (and exchange, and routing key) name
     * @return kombu's SimpleQueue on that name: durable, persistent, manual acknowledgement
     */
    SimpleQueue simpleQueue(String name);

    /**
     * @param name the queue (and exchange, and routing key) name
     * @return kombu's SimpleBuffer: transient messages, acknowledged on get, in a queue deleted
     *     after 30 minutes unused (durable, unlike kombu's, which RabbitMQ 4.3 would refuse)
     */
    SimpleQueue simpleBuffer(String name);

    /**
     * Declares an exchange (idempotent when the properties agree).
     *
     * @param exchange the exchange
     * @throws DeclarationConflictException if it exists with other properties
     */
    void declare(Exchange exchange);

    /**
     * Declares a queue, then each binding's exchange and the binding.
     *
     * @param queue the queue
     * @return its actual name and counts
     * @throws DeclarationConflictException if it or an exchange exists with other properties
     */
    QueueInfo declare(Queue queue);

    /**
     * @param queue queue name
     * @param binding binding to add (its exchange is declared first)
     */
    void bind(String queue, Binding binding);

    /**
     * @param queue queue name
     * @param binding binding to remove
     */
    void unbind(String queue, Binding binding);

    /**
     * Inspects an existing queue without declaring it.
     *
     * @param queue queue name
     * @return its counts
     * @throws EntityNotFoundException if it does not exist
     */
    QueueInfo queueInfo(String queue);

    /**
     * Checks that an exchange exists without declaring it.
     *
     * @param exchange exchange name
     * @throws EntityNotFoundException if it does not exist
     */
    void checkExchange(String exchange);

    /**
     * @param queue queue name
     * @return how many ready messages were removed
     */
    long purge(String queue);

    /**
     * Deletes a queue whatever its state.
     *
     * @param queue queue name
     * @return how many messages it held
     */
    long deleteQueue(String queue);

    /**
     * @param queue queue name
     * @param ifUnused only if it has no consumers
     * @param ifEmpty only if it has no ready messages
     * @return how many messages it held
     * @throws DeclarationConflictException if a condition does not hold
     */
    long deleteQueue(String queue, boolean ifUnused, boolean ifEmpty);

    /**
     * @param exchange exchange name
     * @param ifUnused only if no queue is bound to it
     * @throws DeclarationConflictException if {@code ifUnused} and it is in use
     */
    void deleteExchange(String exchange, boolean ifUnused);

    /**
     * Fetches one ready message without subscribing (AMQP's basic.get). Never waits.
     *
     * @param queue queue name
     * @param ackMode {@link AckMode#MANUAL} to settle it yourself
     * @return the message, or empty
     */
    Optional<Message> get(String queue, AckMode ackMode);

    /** @param listener hears about loss, recovery, flow control and close (see {@link ConnectionListener} for its threads) */
    void addListener(ConnectionListener listener);

    /** @param listener a listener added before */
    void removeListener(ConnectionListener listener);

    /** @return whether it is open */
    boolean isOpen();

    /**
     * The version the broker reported when this connection opened: RabbitMQ's {@code version}
     * server property (e.g. {@code "3.10.7"}), {@code "4.3.0"} on {@code memory://}, whose broker
     * behaves as a default RabbitMQ 4.3. Use it where the broker's behaviour differs by version,
     * such as what a quorum queue counts in {@link Message#deliveryCount()}. Does not block and works
     * on a closed connection.
     *
     * @return the broker's version, or empty when the transport cannot tell
     */
    Optional<String> serverVersion();

    /**
     * A snapshot for readiness and liveness probes: whether the connection is open, blocked,
     * recovering or closed, and the state of every consumer, worker, RPC server and notification
     * listener started on it. Cheap, never blocks, never touches the broker.
     *
     * @return the health view now
     */
    ConnectionHealth health();

    /**
     * Closes the connection: its RPC reply queue and other per-connection state go first, then its
     * consumers stop at once (running handlers finish on their own; unacknowledged messages return
     * to their queues), then the transport connection. Idempotent.
     */
    @Override
    void close();
}
