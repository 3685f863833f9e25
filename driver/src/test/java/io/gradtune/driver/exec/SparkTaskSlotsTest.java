package io.gradtune.driver.exec;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The slot count read from a real local-mode SparkContext: the driver is the one executor. */
class SparkTaskSlotsTest {

    @Test
    void localNHasNSlots() {
        try (SparkTrialExecutor executor = new SparkTrialExecutor("local[3]", "slots-test", Map.of())) {
            TaskSlots s = executor.taskSlots();
            assertEquals(3, s.slots(), s.toString());
            assertEquals(1, s.executors(), s.toString());
            assertEquals(3, executor.slots());
        }
    }

    @Test
    void taskCpusGiveEachTrialThatManyOfTheThreads() {
        try (SparkTrialExecutor executor = new SparkTrialExecutor("local[4]", "slots-test",
                Map.of("spark.task.cpus", "2"))) {
            assertEquals(2, executor.taskCpus());
            assertEquals(2, executor.slots(), executor.taskSlots().toString());
        }
    }
}
