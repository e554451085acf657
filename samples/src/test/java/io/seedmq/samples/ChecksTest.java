package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.samples.LogReceiver.LogLine;
import io.seedmq.samples.WorkQueues.Done;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The checks fail when the pattern's promise is broken")
class ChecksTest {

    @Test
    @DisplayName("round-robin dispatch of alternating heavy and light tasks is reported unfair")
    void roundRobinIsUnfair() {
        List<String> tasks = WorkQueues.heavyAndLightTasks();
        List<Done> done = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            done.add(new Done(i % 2 == 0 ? "worker-1" : "worker-2", tasks.get(i), true));
        }
        WorkQueues.Outcome outcome = new WorkQueues.Outcome(tasks, done, List.of("worker-1", "worker-2"), 0);
        assertFalse(outcome.check().passed());
    }

    @Test
    @DisplayName("a task done twice fails even if the load looks fair")
    void duplicateTaskFails() {
        List<String> tasks = List.of("a .", "b .");
        List<Done> done = List.of(new Done("worker-1", "a .", true), new Done("worker-2", "a .", true));
        assertFalse(new WorkQueues.Outcome(tasks, done, List.of("worker-1", "worker-2"), 0).check().passed());
    }

    @Test
    @DisplayName("topic patterns: * is one word, # is zero or more")
    void topicRule() {
        assertTrue(Topics.routes("kern.*", "kern.critical"));
        assertFalse(Topics.routes("kern.*", "kern.disk.full"));
        assertFalse(Topics.routes("kern.*", "kern"));
        assertTrue(Topics.routes("*.critical", "cron.critical"));
        assertFalse(Topics.routes("*.critical", "critical"));
        assertTrue(Topics.routes("#", "critical"));
        assertTrue(Topics.routes("kern.#", "kern"));
        assertTrue(Topics.routes("#.full", "kern.disk.full"));
    }

    @Test
    @DisplayName("a subscriber that also got a line it is not bound to fails")
    void extraLineFails() {
        LogLine info = new LogLine("info", "i");
        LogLine error = new LogLine("error", "e");
        LogDelivery.Outcome outcome = new LogDelivery.Outcome(List.of(info, error), Map.of("errors", List.of("error")),
                Map.of("errors", "amq.gen-1"), Map.of("errors", List.of(info, error)));
        assertFalse(outcome.check(Routing::routes).passed());
    }

    @Test
    @DisplayName("a wrong Fibonacci answer fails")
    void wrongAnswerFails() {
        assertFalse(new Rpc.Outcome(Map.of(10, 56L), List.of(10), "amq.gen-1").check().passed());
        assertTrue(new Rpc.Outcome(Map.of(10, 55L), List.of(10), "amq.gen-1").check().passed());
    }
}
