package io.gradtune.driver.exec;

import io.gradtune.worker.train.TaskAttempt;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The slot count and task facts read from a real local-mode SparkContext: the driver is the one executor. */
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
            // What a task tells the worker: 2 native threads, executor "driver" (local mode), attempt 0.
            String task = JavaSparkContext.fromSparkContext(executor.sparkContext()).parallelize(List.of(1), 1)
                    .map(x -> TrainTrialFunction.taskAttempt(TaskContext.get()).toString()).collect().get(0);
            assertEquals(new TaskAttempt(0, "driver", "127.0.0.1", 2).toString(), task);
        }
    }
}
