package io.gradtune.worker.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time ND4J set-up per JVM: float32 by default and no periodic System.gc() from ND4J's memory manager
 * (which otherwise stalls small-network training). Idempotent and cheap after the first call.
 */
public final class WorkerRuntime {

    private static volatile boolean initialized;

    private WorkerRuntime() {
    }

    public static void ensureInitialized() {
        if (initialized) {
            return;
        }
        synchronized (WorkerRuntime.class) {
            if (!initialized) {
                Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
                Nd4j.getMemoryManager().togglePeriodicGc(false);
                initialized = true;
            }
        }
    }
}
