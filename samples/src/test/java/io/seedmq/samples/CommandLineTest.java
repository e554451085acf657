package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The samples' command line: a mistake is a usage error that names it, never a run against another broker. */
@DisplayName("The samples' command line")
class CommandLineTest {

    private static final String RABBIT = "amqp://guest:guest@127.0.0.1:1/";

    /** What one command line printed and returned. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    @DisplayName("a mistyped option is an error naming it, with a suggestion and the usage, not a tour on memory://")
    void mistypedOption() {
        Run run = run("tour", "--urll", RABBIT);
        assertEquals(2, run.status());
        assertTrue(run.err().contains("Unknown option") && run.err().contains("'--urll'"), run.err());
        assertTrue(run.err().contains("--url"), run.err());
        assertTrue(run.err().contains("Usage: seedmq-samples tour"), run.err());
        assertFalse(run.out().contains("PASS"), "nothing ran: " + run.out());
    }

    @Test
    @DisplayName("an unknown option after a role is an error, not text to send")
    void unknownOptionAfterRole() {
        Run run = run("hello", "--role", "send", "--bogus-flag", "--url", RABBIT);
        assertEquals(2, run.status());
        assertTrue(run.err().contains("'--bogus-flag'"), run.err());
        assertTrue(run.err().contains("Usage: seedmq-samples hello"), run.err());
    }

    @Test
    @DisplayName("a missing value, an unknown role, an unknown sample and a role on memory:// are usage errors")
    void otherMistakes() {
        Run missing = run("tour", "--url");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("Missing required parameter for option '--url'"), missing.err());
        Run role = run("pubsub", "--role", "publish", "--url", RABBIT);
        assertEquals(2, role.status());
        assertTrue(role.err().contains("no role 'publish'") && role.err().contains("emit, receive"), role.err());
        Run sample = run("fanout");
        assertEquals(2, sample.status());
        assertTrue(sample.err().contains("'fanout'"), sample.err());
        Run memory = run("topics", "--role", "receive", "#");
        assertEquals(2, memory.status());
        assertTrue(memory.err().contains("memory://"), memory.err());
        Run stray = run("rpc", "30");
        assertEquals(2, stray.status());
        assertTrue(stray.err().contains("add --role"), stray.err());
    }

    @Test
    @DisplayName("--help works on every command and shows defaults; the top level lists every role")
    void help() {
        Run top = run("--help");
        assertEquals(0, top.status());
        for (Sample sample : Main.samples()) {
            assertTrue(top.out().contains(sample.name()), sample.name());
            Run one = run(sample.name(), "--help");
            assertEquals(0, one.status(), sample.name());
            assertTrue(one.out().contains("default: memory://"), one.out());
        }
        assertTrue(top.out().contains("work-queues --role worker"), top.out());
        Run server = run("oslo-rpc-server", "--help");
        assertTrue(server.out().contains("--topic=TOPIC") && server.out().contains("(default: test)"), server.out());
        assertFalse(server.out().contains("--role=ROLE"), "a command of one role has no --role option");
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().contains("Usage: seedmq-samples"), none.err());
    }

    @Test
    @DisplayName("a sample without a role runs every party here and prints its verdict")
    void inProcess() {
        Run run = run("routing");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("routing") && run.out().trim().endsWith("PASS"), run.out());
    }
}
