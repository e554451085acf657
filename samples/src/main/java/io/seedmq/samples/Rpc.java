package io.seedmq.samples;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerProducerWorker;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import picocli.CommandLine.Option;

/**
 * Request/reply (RPC) on plain queues. From the seeds' {@code rpc_server.py} /
 * {@code rpc_client.py} (the Fibonacci RPC): the server consumes {@code rpc_queue} one request at
 * a time (prefetch 1) and publishes each answer to the request's {@code reply_to} queue with the
 * request's {@code correlation_id}; the client has an exclusive, server-named callback queue,
 * sends requests carrying both properties, and matches replies to requests by correlation id.
 *
 * <p>The queue is declared as the pika tutorial declares it for RabbitMQ 4.3
 * ({@code queue_declare(queue='rpc_queue', durable=True)}: 4.3 refuses the original transient,
 * non-exclusive one), so the tutorial's scripts and these roles share it. Bodies come in the two seeds'
 * forms: pika's bare numbers ({@code 30}, answered {@code 832040}, no content type) and the kombu
 * seed's JSON ({@code {"n": 30}}, answered {@code {"result": 832040}}). The server answers each
 * request in the form it came in; the client sends pika's form unless told to send JSON.
 *
 * <p>This is the hand-made pattern; {@code io.seedmq.messaging.rpc} offers the finished one.
 */
public final class Rpc implements Sample {

    /** The seeds' request queue. */
    public static final String QUEUE = "rpc_queue";

    /**
     * @param name the queue's name
     * @return the request queue, durable as the pika tutorial declares it for RabbitMQ 4.3 (which
     *     refuses the tutorial's original transient, non-exclusive queue)
     */
    public static Queue requestQueue(String name) {
        return Queue.named(name);
    }

    /** @param n which Fibonacci number */
    public record FibRequest(int n) {
    }

    /** @param result the Fibonacci number */
    public record FibReply(long result) {
    }

    /**
     * The seeds' deliberately slow recursive Fibonacci, so a request takes a while.
     *
     * @param n which number, 0 or more
     * @return the n-th Fibonacci number
     */
    public static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /**
     * The seeds' RPC server, kombu's {@code ConsumerProducerMixin} {@code Worker}: one consumer on
     * the request queue, and a producer for the replies.
     */
    public static final class FibonacciServer extends ConsumerProducerWorker {
        private final Queue queue;
        private final IntConsumer served;

        /**
         * @param connection the connection to consume and reply on
         * @param queue the request queue
         * @param served hears the n of every request answered, on the consumer thread
         */
        public FibonacciServer(Connection connection, Queue queue, IntConsumer served) {
            super(connection);
            this.queue = queue;
            this.served = served;
        }

        @Override
        protected List<Consumer> consumers(ConsumerFactory factory) {
            return List.of(factory.create(
                    ConsumerOptions.builder().queue(queue).prefetch(1).ackMode(AckMode.MANUAL).accept("json", "text")
                            .build(),
                    this::onRequest));
        }

        private void onRequest(Message request) {
            String replyTo = request.properties().replyTo();
            if (replyTo == null) {
                // Nowhere to answer: drop it rather than compute for nobody.
                request.reject();
                return;
            }
            boolean json = isJson(request);
            int n = json ? request.payload(FibRequest.class).n() : Integer.parseInt(request.payload(String.class).trim());
            long result = fib(n);
            // Answered in the request's own form: JSON to the kombu seed's client, a bare number to pika's.
            producer().publish(json ? new FibReply(result) : String.valueOf(result), Publish.toQueue(replyTo)
                    .correlationId(request.properties().correlationId())
                    .persistent(false));
            // Acknowledge only once the reply is out: a server dying mid-request leaves it for another.
            request.ack();
            served.accept(n);
        }
    }

    /** @return whether a message's body is JSON (the kombu seed's form) rather than pika's bare text */
    private static boolean isJson(Message message) {
        String type = message.properties().contentType();
        return type != null && type.startsWith("application/json");
    }

    /**
     * The seeds' {@code FibonacciRpcClient}: an exclusive callback queue named by the broker,
     * and a table of pending calls by correlation id. Thread-safe; calls may overlap.
     */
    public static final class FibonacciRpcClient implements AutoCloseable {
        private final Connection connection;
        private final Queue requests;
        private final boolean json;
        private final Consumer callbacks;
        private final String callbackQueue;
        private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();

        /**
         * Declares the callback queue and starts consuming it.
         *
         * @param connection the client's connection; the callback queue lives as long as it
         * @param requests the server's request queue
         * @param json whether requests are the kombu seed's JSON ({@code {"n": 30}}) rather than pika's bare number
         */
        public FibonacciRpcClient(Connection connection, Queue requests, boolean json) {
            this.connection = connection;
            this.requests = requests;
            this.json = json;
            this.callbacks = connection.consumer(
                    ConsumerOptions.builder().queue(Queue.serverNamed()).ackMode(AckMode.AUTO).accept("json", "text")
                            .build(),
                    this::onResponse);
            callbacks.start();
            this.callbackQueue = callbacks.queueNames().get(0);
        }

        private void onResponse(Message reply) {
            // A reply nobody waits for (its call timed out, or a stray) is ignored, as in the seed.
            CompletableFuture<Long> call = pending.remove(String.valueOf(reply.properties().correlationId()));
            if (call != null) {
                call.complete(isJson(reply) ? reply.payload(FibReply.class).result()
                        : Long.parseLong(reply.payload(String.class).trim()));
            }
        }

        /**
         * Sends a request without waiting for the answer.
         *
         * @param n which Fibonacci number
         * @return the answer, when it comes
         */
        public CompletableFuture<Long> callAsync(int n) {
            String correlationId = UUID.randomUUID().toString();
            CompletableFuture<Long> answer = new CompletableFuture<>();
            pending.put(correlationId, answer);
            try {
                connection.producer().publish(json ? new FibRequest(n) : String.valueOf(n), Publish.toQueue(requests)
                        .replyTo(callbackQueue)
                        .correlationId(correlationId)
                        .persistent(false));
            } catch (RuntimeException e) {
                pending.remove(correlationId);
                throw e;
            }
            // However the call ends (answered, timed out, cancelled), it is no longer pending.
            answer.whenComplete((result, error) -> pending.remove(correlationId));
            return answer;
        }

        /**
         * @param n which Fibonacci number
         * @param timeout how long to wait for the answer
         * @return the answer
         * @throws TimeoutException if no answer came in time
         * @throws InterruptedException if interrupted while waiting
         */
        public long call(int n, Duration timeout) throws TimeoutException, InterruptedException {
            CompletableFuture<Long> answer = callAsync(n);
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                answer.cancel(false);
            }
        }

        /** @return the broker-chosen name of the callback queue */
        public String callbackQueue() {
            return callbackQueue;
        }

        /** Stops consuming replies; pending calls stay pending until their timeout. */
        @Override
        public void close() {
            callbacks.stop();
        }
    }

    /**
     * What the client got.
     *
     * @param answers n to the answer received, or {@code null} when none came in time
     * @param served the n of each request the server answered, in order
     * @param callbackQueue the client's callback queue
     */
    public record Outcome(Map<Integer, Long> answers, List<Integer> served, String callbackQueue) {

        /** @return PASS when every call got its own, correct answer, each request served once */
        public Check check() {
            List<String> shown = new ArrayList<>();
            for (var call : answers.entrySet()) {
                long expected = iterativeFib(call.getKey());
                if (call.getValue() == null) {
                    return Check.fail("no reply to fib(" + call.getKey() + ") within the timeout");
                }
                if (call.getValue() != expected) {
                    return Check.fail("fib(" + call.getKey() + ") answered " + call.getValue() + ", expected " + expected);
                }
                shown.add("fib(" + call.getKey() + ")=" + call.getValue());
            }
            if (served.size() != answers.size() || !served.containsAll(answers.keySet())) {
                return Check.fail("the server answered " + served + " for calls " + answers.keySet());
            }
            if (callbackQueue == null || callbackQueue.isEmpty()) {
                return Check.fail("no callback queue");
            }
            return Check.pass(String.join(" ", shown));
        }

        private static long iterativeFib(int n) {
            long a = 0;
            long b = 1;
            for (int i = 0; i < n; i++) {
                long next = a + b;
                a = b;
                b = next;
            }
            return a;
        }
    }

    /**
     * Starts the server, sends every call at once from two clients, one in each seed's form (so
     * replies can only be told apart by correlation id), and collects the answers.
     *
     * @param url the broker URL
     * @param queue the request queue
     * @param numbers the n of each call
     * @return what the client got
     * @throws InterruptedException if interrupted while waiting
     */
    public static Outcome run(String url, Queue queue, List<Integer> numbers) throws InterruptedException {
        Inbox<Integer> served = new Inbox<>();
        try (Connection serverConnection = Connection.open(url); Connection clientConnection = Connection.open(url)) {
            FibonacciServer server = new FibonacciServer(serverConnection, queue, served::add);
            try {
                server.start();
                try (FibonacciRpcClient client = new FibonacciRpcClient(clientConnection, queue, false);
                     FibonacciRpcClient jsonClient = new FibonacciRpcClient(clientConnection, queue, true)) {
                    Map<Integer, CompletableFuture<Long>> calls = new LinkedHashMap<>();
                    boolean asJson = false;
                    for (int n : numbers) {
                        calls.put(n, (asJson ? jsonClient : client).callAsync(n));
                        asJson = !asJson;
                    }
                    CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
                            .completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
                    Map<Integer, Long> answers = new LinkedHashMap<>();
                    calls.forEach((n, call) -> answers.put(n, call.getNow(null)));
                    served.awaitCount(numbers.size(), Duration.ofSeconds(5));
                    return new Outcome(answers, served.snapshot(), client.callbackQueue());
                }
            } finally {
                server.stop();
            }
        }
    }

    @Override
    public String name() {
        return "rpc";
    }

    @Override
    public String description() {
        return "RPC by hand: requests on 'rpc_queue' with reply_to and correlation_id, Fibonacci answers"
                + " (rpc_server.py / rpc_client.py).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("server", "client");
    }

    @Override
    public List<String> roles() {
        return List.of("rpc --role server", "rpc --role client [n] [--json]   (--json: the kombu seed's {\"n\": n})");
    }

    @Override
    public Object options() {
        return options;
    }

    /** The client's one option. */
    static final class Options {
        @Option(names = "--json", description = "send the kombu seed's JSON {\"n\": n} instead of pika's bare number")
        boolean json;
    }

    private final Options options = new Options();

    @Override
    public Check runInProcess(String url, Names names) throws InterruptedException {
        Queue queue = requestQueue(names.of(QUEUE));
        Outcome outcome = run(url, queue, List.of(30, 10, 1, 0));
        if (names.throwAway()) {
            try (Connection conn = Connection.open(url)) {
                conn.deleteQueue(queue.name());
            }
        }
        return outcome.check();
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        Queue queue = requestQueue(QUEUE);
        switch (role) {
            case "server" -> {
                Connection conn = Connection.open(url);
                FibonacciServer server = new FibonacciServer(conn, queue, n -> System.out.println(" [.] fib(" + n + ")"));
                return Foreground.runUntilCtrlC(conn, server, " [x] Awaiting RPC requests");
            }
            case "client" -> {
                int n;
                try {
                    n = args.isEmpty() ? 30 : Integer.parseInt(args.get(0));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("client wants a number, not '" + args.get(0) + "'", e);
                }
                try (Connection conn = Connection.open(url);
                     FibonacciRpcClient client = new FibonacciRpcClient(conn, queue, options.json)) {
                    System.out.println(" [x] Requesting fib(" + n + ")");
                    try {
                        System.out.println(" [.] Got " + client.call(n, Duration.ofSeconds(30)));
                        return 0;
                    } catch (TimeoutException e) {
                        System.err.println(" [!] No answer within 30 s: is 'rpc --role server' running?");
                        return 1;
                    }
                }
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
