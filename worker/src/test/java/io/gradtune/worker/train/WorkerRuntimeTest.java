package io.gradtune.worker.train;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A task with {@code spark.task.cpus} = n gets n native BLAS threads; back to one when n is 1. Releasing a thread's
 * workspaces destroys them without a full garbage collection.
 */
class WorkerRuntimeTest {

    @Test
    void releaseThreadMemoryDestroysTheWorkspacesWithoutAFullCollection() {
        WorkerRuntime.ensureInitialized();
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20)
                .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
        for (String id : new String[] {"gradtune-test-a", "gradtune-test-b"}) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, id)) {
                Nd4j.create(64, 64).addi(1f);
            }
        }
        assertTrue(Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size() >= 2);
        long fullBefore = fullCollections();

        for (int i = 0; i < 5; i++) {
            WorkerRuntime.releaseThreadMemory();
        }

        assertEquals(0, Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size(),
                "every workspace of this thread destroyed");
        // ND4J's destroyAllWorkspacesForCurrentThread() ends in System.gc(): one full collection per call, 5 here.
        assertEquals(fullBefore, fullCollections(), "no full (System.gc()) collection");
    }

    /** Full collections so far: G1's "G1 Old Generation" bean counts them (young ones are the other bean). */
    private static long fullCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep") || name.contains("Full")) {
                n += gc.getCollectionCount();
            }
        }
        return n;
    }

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
