package io.seedmq.samples;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Work queues (task queues) with fair dispatch. From the seeds' {@code new_task.py} /
 * {@code worker.py}: a durable {@code task_queue}, persistent messages, workers that take one
 * task at a time ({@code basic_qos(prefetch_count=1)}) and acknowledge only when done, and
 * tasks whose dots say how long they take. The worker is kombu's {@code ConsumerMixin}
 * {@code Worker}, here a {@link ConsumerWorker}.
 *
 * <p>With prefetch 1 a busy worker is not sent the next task; it goes to the idle one. Without
 * it the broker would deal tasks out round-robin, and one worker could get every heavy task.
 */
public final class WorkQueues implements Sample {

    /** The seeds' durable task queue. */
    public static final Queue TASK_QUEUE = Queue.named("task_queue");
    /** How long one dot of a task takes in the in-process run; the role-mode worker uses a second, as the seeds. */
    public static final Duration IN_PROCESS_DOT = Duration.ofMillis(20);

    /**
     * One finished task.
     *
     * @param worker which worker did it
     * @param task the task text
     * @param persistent whether it was delivered as a persistent message
     */
    public record Done(String worker, String task, boolean persistent) {
    }

    /**
     * What the workers did.
     *
     * @param tasks the tasks published, in order
     * @param done the tasks finished (and acknowledged), in order of completion
     * @param workers the workers' names
     * @param leftInQueue ready messages left afterwards
     */
    public record Outcome(List<String> tasks, List<Done> done, List<String> workers, long leftInQueue) {

        /**
         * Busy time per worker, counted in dots. Greedy dispatch (a worker asks for the next task
         * only when idle) keeps every worker's load within the fair share plus one task.
         *
         * @return PASS when every task was done exactly once, persistently, and the load is fair
         */
        public Check check() {
            List<String> doneTasks = done.stream().map(Done::task).sorted().toList();
            if (!doneTasks.equals(tasks.stream().sorted().toList())) {
                return Check.fail("tasks done " + doneTasks.size() + "/" + tasks.size() + ", not each exactly once");
            }
            if (!done.stream().allMatch(Done::persistent)) {
                return Check.fail("a task arrived as a transient message");
            }
            if (leftInQueue != 0) {
                return Check.fail(leftInQueue + " tasks left in the queue");
            }
            Map<String, Integer> load = load();
            int total = tasks.stream().mapToInt(WorkQueues::dots).sum();
            int longest = tasks.stream().mapToInt(WorkQueues::dots).max().orElse(0);
            int fairShare = (total + workers.size() - 1) / workers.size();
            String loads = load.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            if (load.values().stream().anyMatch(l -> l > fairShare + longest)) {
                return Check.fail("unfair dispatch, dots per worker: " + loads);
            }
            return Check.pass(tasks.size() + " tasks, dots done: " + loads);
        }

        /** @return dots of work done per worker, in worker order */
        public Map<String, Integer> load() {
            Map<String, Integer> load = new LinkedHashMap<>();
            workers.forEach(w -> load.put(w, 0));
            done.forEach(d -> load.merge(d.worker(), dots(d.task()), Integer::sum));
            return load;
        }
    }

    /** Hears about each task a {@link Worker} finished. */
    @FunctionalInterface
    public interface TaskListener {
        /** @param done the finished, acknowledged task */
        void finished(Done done);
    }

    /**
     * The seeds' worker: takes one task at a time from the task queue, "works" one unit per dot,
     * then acknowledges. If it dies mid-task, the unacknowledged task goes to another worker.
     */
    public static final class Worker extends ConsumerWorker {
        private final String name;
        private final Queue queue;
        private final Duration perDot;
        private final TaskListener listener;

        /**
         * @param connection the connection to consume on
         * @param name the worker's name
         * @param queue the task queue
         * @param perDot how long one dot of work takes
         * @param listener hears about finished tasks
         */
        public Worker(Connection connection, String name, Queue queue, Duration perDot, TaskListener listener) {
            super(connection);
            this.name = name;
            this.queue = queue;
            this.perDot = perDot;
            this.listener = listener;
        }

        @Override
        protected List<Consumer> consumers(ConsumerFactory factory) {
            return List.of(factory.create(
                    ConsumerOptions.builder()
                            .queue(queue)
                            .prefetch(1)                 // fair dispatch: one unacknowledged task at a time
                            .ackMode(AckMode.MANUAL)     // acknowledge when done, not when received
                            .accept("text", "json")
                            .build(),
                    this::processTask));
        }

        private void processTask(Message message) throws InterruptedException {
            String task = message.payload(String.class);
            // Simulated work: a sleep is what the seed's worker does, one unit per dot.
            Thread.sleep(perDot.toMillis() * dots(task));
            message.ack();
            listener.finished(new Done(name, task, message.properties().persistent()));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The seeds' {@code new_task.py}: publishes a task to the durable queue as a persistent
     * message (delivery mode 2), so it survives a broker restart.
     *
     * @param producer the producer
     * @param queue the task queue, declared on the first publish
     * @param task the task; each dot is a unit of work
     */
    public static void newTask(Producer producer, Queue queue, String task) {
        producer.publish(task, Publish.toQueue(queue).persistent(true));
    }

    /** @param task a task @return how many units of work it takes */
    public static int dots(String task) {
        return (int) task.chars().filter(c -> c == '.').count();
    }

    @Override
    public String name() {
        return "work-queues";
    }

    @Override
    public String description() {
        return "Work queues: a durable 'task_queue', persistent tasks, workers with prefetch 1 that acknowledge"
                + " when done (new_task.py / worker.py).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("new-task", "worker");
    }

    @Override
    public List<String> roles() {
        return List.of("work-queues --role new-task [message...]", "work-queues --role worker");
    }

    /**
     * Starts the workers, each on its own connection, publishes heavy and light tasks in turn,
     * and waits until all are done.
     *
     * @param url the broker URL
     * @param workerCount how many workers
     * @param tasks the tasks
     * @param perDot how long a dot takes
     * @return what the workers did
     * @throws InterruptedException if interrupted while waiting
     */
    public static Outcome run(String url, int workerCount, List<String> tasks, Duration perDot) throws InterruptedException {
        Inbox<Done> done = new Inbox<>();
        List<Connection> connections = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        try (Connection client = Connection.open(url)) {
            // The durable queue stays between runs, as the seeds intend: empty it so reruns start clean.
            client.declare(TASK_QUEUE);
            client.purge(TASK_QUEUE.name());
            for (int i = 1; i <= workerCount; i++) {
                Connection connection = Connection.open(url);
                connections.add(connection);
                Worker worker = new Worker(connection, "worker-" + i, TASK_QUEUE, perDot, done::add);
                workers.add(worker);
                worker.start();
            }
            Producer producer = client.producer();
            for (String task : tasks) {
                newTask(producer, TASK_QUEUE, task);
            }
            Duration bound = perDot.multipliedBy(tasks.stream().mapToInt(WorkQueues::dots).sum()).plusSeconds(10);
            done.awaitCount(tasks.size(), bound);
            workers.forEach(Worker::stop);
            long left = client.queueInfo(TASK_QUEUE.name()).messageCount();
            return new Outcome(tasks, done.snapshot(), workers.stream().map(Worker::toString).toList(), left);
        } finally {
            workers.forEach(Worker::stop);
            connections.forEach(Connection::close);
        }
    }

    /** @return six heavy tasks of eight dots and six light tasks of one, heavy first, alternating */
    public static List<String> heavyAndLightTasks() {
        List<String> tasks = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            tasks.add("Task " + i + (i % 2 == 1 ? " ........" : " ."));
        }
        return tasks;
    }

    @Override
    public Check runInProcess(String url, Names names) throws InterruptedException {
        return run(url, 2, heavyAndLightTasks(), IN_PROCESS_DOT).check();
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        switch (role) {
            case "new-task" -> {
                String task = args.isEmpty() ? "Hello World!" : String.join(" ", args);
                try (Connection conn = Connection.open(url)) {
                    newTask(conn.producer(), TASK_QUEUE, task);
                    System.out.println(" [x] Sent '" + task + "'");
                }
                return 0;
            }
            case "worker" -> {
                Connection conn = Connection.open(url);
                Worker worker = new Worker(conn, "worker", TASK_QUEUE, Duration.ofSeconds(1),
                        done -> System.out.println(" [x] Done '" + done.task() + "'"));
                return Foreground.runUntilCtrlC(conn, worker, " [*] Waiting for tasks. To exit press CTRL+C");
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
