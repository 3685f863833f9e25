package io.gradtune.driver.run;

import io.gradtune.worker.train.WorkerRuntime;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads ND4J's backend and native libraries (a few seconds of a cold JVM: JavaCPP, OpenBLAS, libnd4j, the op
 * registry) on a daemon thread at the start of a study whose trials train in the driver JVM (a {@code local} or
 * {@code local[...]} master), so the first trial does not pay it after the broker and Spark have started. It
 * changes nothing a trial computes: {@link WorkerRuntime#ensureInitialized()} is the same one-time set-up every trial
 * runs first, and the array it creates is thrown away. A failure is left to the first trial, which reports it.
 */
final class NativeWarmUp {

    private NativeWarmUp() {
    }

    /** True for masters whose trials run in this JVM: {@code local} and {@code local[...]}. */
    static boolean trainsInThisJvm(String master) {
        String m = master.trim();
        return m.equals("local") || m.startsWith("local[");
    }

    /** Starts the warm-up on a daemon thread. */
    static Thread start() {
        return start(null);
    }

    /**
     * Starts the warm-up on a daemon thread, then, when {@code trainingParams} is not null, the training warm-up
     * ({@link TrainingWarmUp}) of a tiny network with those parameters on the same thread.
     */
    static Thread start(java.util.Map<String, Object> trainingParams) {
        Thread t = new Thread(() -> {
            try {
                WorkerRuntime.ensureInitialized();
                Nd4j.create(new float[] {1f, 2f}, new long[] {1, 2}).mmul(Nd4j.ones(2, 1)).sumNumber();
                if (trainingParams != null) {
                    TrainingWarmUp.run(trainingParams);
                }
            } catch (RuntimeException | LinkageError e) {
                // the first trial loads the same classes and reports what is wrong
            }
        }, "gradtune-native-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
