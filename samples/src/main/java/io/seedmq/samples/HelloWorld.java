package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.EmptyQueueException;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.SimpleQueue;
import java.time.Duration;
import java.util.List;

/**
 * "Hello World": one producer, one consumer, one named queue. From the seeds' {@code send.py} /
 * {@code receive.py}, in their kombu form: {@code conn.SimpleQueue('hello')}, {@code put},
 * {@code get(block=True, timeout=1)}, {@code message.ack()}.
 *
 * <p>kombu's SimpleQueue declares a durable direct exchange and a durable queue, both named
 * {@code hello}, and publishes persistently; the queue is meant to stay, so the in-process run
 * keeps it and empties it first.
 */
public final class HelloWorld implements Sample {

    /** The seeds' queue name. */
    public static final String QUEUE = "hello";
    /** The seeds' message. */
    public static final String GREETING = "Hello World!";

    /**
     * What the receiver saw.
     *
     * @param sent the text put on the queue
     * @param received the text got back, or {@code null} if nothing came
     * @param acknowledged whether the message was acknowledged
     * @param leftInQueue ready messages left afterwards
     */
    public record Outcome(String sent, String received, boolean acknowledged, long leftInQueue) {

        /** @return PASS when exactly the sent text came back, was acknowledged and nothing is left */
        public Check check() {
            if (received == null) {
                return Check.fail("nothing received from '" + QUEUE + "'");
            }
            if (!sent.equals(received)) {
                return Check.fail("sent '" + sent + "' but received '" + received + "'");
            }
            if (!acknowledged || leftInQueue != 0) {
                return Check.fail(received + " received, but " + leftInQueue + " left in the queue");
            }
            return Check.pass(received + " received");
        }
    }

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String description() {
        return "Hello World: kombu's SimpleQueue on the durable queue 'hello' (send.py / receive.py, kombu form).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("send", "receive");
    }

    @Override
    public List<String> roles() {
        return List.of("hello --role send [message...]", "hello --role receive");
    }

    /**
     * Sends the greeting on one connection and receives it on another, through kombu's SimpleQueue.
     *
     * @param sender the sending party's connection
     * @param receiver the receiving party's connection
     * @param queue the queue name
     * @return what was received
     */
    public static Outcome run(Connection sender, Connection receiver, String queue) {
        try (SimpleQueue out = sender.simpleQueue(queue); SimpleQueue in = receiver.simpleQueue(queue)) {
            in.clear();
            out.put(GREETING);
            Message message;
            try {
                message = in.get(Duration.ofSeconds(5));
            } catch (EmptyQueueException e) {
                return new Outcome(GREETING, null, false, in.size());
            }
            String text = message.payload(String.class);
            message.ack();
            return new Outcome(GREETING, text, message.state() == Message.State.ACKNOWLEDGED, in.size());
        }
    }

    @Override
    public Check runInProcess(String url, Names names) {
        try (Connection sender = Connection.open(url); Connection receiver = Connection.open(url)) {
            // The durable 'hello' queue is kept, as the seeds intend; run() purges it first.
            return run(sender, receiver, QUEUE).check();
        }
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        switch (role) {
            case "send" -> {
                String text = args.isEmpty() ? GREETING : String.join(" ", args);
                try (Connection conn = Connection.open(url); SimpleQueue hello = conn.simpleQueue(QUEUE)) {
                    hello.put(text);
                    System.out.println(" [x] Sent '" + text + "'");
                }
                return 0;
            }
            case "receive" -> {
                Connection conn = Connection.open(url);
                SimpleQueue hello = conn.simpleQueue(QUEUE);
                Foreground.loopUntilCtrlC(conn, " [*] Waiting for messages. To exit press CTRL+C", () -> {
                    try {
                        Message message = hello.get(Duration.ofSeconds(1));
                        System.out.println(" [x] Received '" + message.payload(String.class) + "'");
                        message.ack();
                    } catch (EmptyQueueException e) {
                        // Nothing within a second: ask again, so Ctrl+C is noticed promptly.
                    }
                });
                return 0;
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
