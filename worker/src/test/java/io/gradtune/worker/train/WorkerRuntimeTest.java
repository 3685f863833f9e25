package io.gradtune.worker.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A task with {@code spark.task.cpus} = n gets n native BLAS threads; back to one when n is 1. */
class WorkerRuntimeTest {

    @Test
    void useThreadsSetsTheBlasThreadCount() {
        WorkerRuntime.ensureInitialized();
        int before = WorkerRuntime.blasThreads();
        try {
            WorkerRuntime.useThreads(2);
            assertEquals(2, WorkerRuntime.blasThreads());
            WorkerRuntime.useThreads(1);
            assertEquals(1, WorkerRuntime.blasThreads());
        } finally {
            WorkerRuntime.useThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> WorkerRuntime.useThreads(0));
    }
}
