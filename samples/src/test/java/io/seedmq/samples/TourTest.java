package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

@DisplayName("Every sample passes its own check on the embedded broker")
class TourTest {

    @TestFactory
    Stream<DynamicTest> everySamplePassesOnMemory() {
        return Main.samples().stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
            Check check = sample.runInProcess("memory://", Names.unique());
            assertTrue(check.passed(), check.summary());
        }));
    }
}
