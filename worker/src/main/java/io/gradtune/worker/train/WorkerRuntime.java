package io.gradtune.worker.train;

import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time ND4J set-up per JVM: float32 by default, no periodic System.gc() from ND4J's memory manager (which
 * otherwise stalls small-network training), and no physical-memory check on every native allocation.
 *
 * <p>JavaCPP, under ND4J, checks the process's resident memory against {@code maxPhysicalBytes} on every
 * allocation it tracks, by reading {@code /proc/self/statm} while holding a JVM-wide lock. ND4J allocates a native
 * shape buffer for almost every array and view it creates, dozens per mini-batch, so on small networks that read
 * was about a tenth of a trial's CPU time (and the lock serializes concurrent trials). {@link #ensureInitialized()}
 * sets {@code org.bytedeco.javacpp.maxPhysicalBytes=0} (no check) unless the property is already set; it takes
 * effect only if JavaCPP has not been loaded yet in this JVM, which is why the launcher and the test JVMs pass it
 * on the command line as well. JavaCPP's own byte count ({@code maxBytes}) stays in force.
 *
 * <p>Native threads: a trial trains with as many threads as its Spark task has cores ({@code spark.task.cpus},
 * default 1), set by {@link #useThreads}. OpenBLAS's thread count can be changed at any time and is what the
 * matrix products use. libnd4j's own pool (element-wise ops) is sized once per JVM from {@code OMP_NUM_THREADS}
 * (its {@code setMaxThreads} is a no-op in this ND4J version), which is why executors get
 * {@code spark.executorEnv.OMP_NUM_THREADS} = {@code spark.task.cpus}; within that pool {@link #useThreads} bounds
 * the threads one op may use ({@code setMaxMasterThreads}). Every task of an application has the same
 * {@code spark.task.cpus}, so the JVM-wide settings are the same for every trial in it.
 */
public final class WorkerRuntime {

    /** JavaCPP's system property (it also reads the lower-case spelling). */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
    private static volatile boolean initialized;

    private WorkerRuntime() {
    }

    /**
     * Sets the native threads one trial uses: OpenBLAS's thread count, and libnd4j's per-op thread bound (which
     * cannot exceed its pool, sized at JVM start from {@code OMP_NUM_THREADS}). JVM-wide and idempotent.
     *
     * @param threads the task's cores ({@code TaskContext.cpus()}), at least 1
     */
    public static void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        ensureInitialized();
        synchronized (WorkerRuntime.class) {
            if (Nd4j.factory().blas().getMaxThreads() != threads) {
                Nd4j.factory().blas().setMaxThreads(threads);
            }
            Environment env = Nd4j.getEnvironment();
            int master = Math.min(threads, env.maxThreads());
            if (env.maxMasterThreads() != master) {
                env.setMaxMasterThreads(master);
            }
        }
    }

    /** OpenBLAS's thread count in this JVM. */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    /**
     * Destroys this thread's ND4J workspaces (DL4J's {@code WS_ALL_LAYERS_ACT}, {@code WS_LAYER_WORKING_MEM} and the
     * others a fit or an inference pass opens), if none is open. A workspace keeps the largest size it ever needed
     * until its thread ends, and a Spark task thread runs trial after trial, so without this one trial with wide
     * layers and large batches would leave its memory to every later trial of that thread. The next trial's first
     * mini-batches size the workspaces again.
     *
     * <p>Each workspace is destroyed on its own ({@code destroyWorkspace}), which frees its memory at once. ND4J's
     * {@code destroyAllWorkspacesForCurrentThread()} does the same and then calls {@code System.gc()}: a full,
     * stop-the-world collection of the whole JVM (100-150 ms with a study's driver, broker and trials in it), once per
     * trial, which paused every other trial too; it was 60 full collections in a 60-trial study (BENCHMARKS.md,
     * "Session 11").
     */
    public static void releaseThreadMemory() {
        if (Nd4j.getMemoryManager().getCurrentWorkspace() == null) {
            MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
            for (MemoryWorkspace workspace : List.copyOf(manager.getAllWorkspacesForCurrentThread())) {
                manager.destroyWorkspace(workspace);
            }
        }
    }

    public static void ensureInitialized() {
        if (initialized) {
            return;
        }
        synchronized (WorkerRuntime.class) {
            if (!initialized) {
                boolean unset = System.getProperty(MAX_PHYSICAL_BYTES) == null
                        && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null;
                if (unset) {
                    System.setProperty(MAX_PHYSICAL_BYTES, "0");
                }
                Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
                Nd4j.getMemoryManager().togglePeriodicGc(false);
                if (unset && Pointer.maxPhysicalBytes() > 0) {
                    LOG.info("JavaCPP was loaded before the worker set {}=0: every native allocation checks resident "
                            + "memory (slower training); pass -D{}=0 to the JVM", MAX_PHYSICAL_BYTES, MAX_PHYSICAL_BYTES);
                }
                initialized = true;
            }
        }
    }
}
