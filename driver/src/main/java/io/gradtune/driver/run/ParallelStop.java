package io.gradtune.driver.run;

import io.gradtune.driver.exec.SparkTrialExecutor;

/**
 * Stops Spark on its own thread while the caller stops the rest (the study's producers and the embedded broker), the
 * mirror of {@link ParallelStart}. {@link #close()} drains the running tasks on the caller's thread and begins
 * Spark's stop ({@link SparkTrialExecutor#closeInBackground()}); {@link #await()} waits for it to end, beginning it
 * first if nobody did, so whoever creates one calls {@code await()} in a {@code finally}.
 */
final class ParallelStop implements AutoCloseable {

    private final SparkTrialExecutor executor;
    private Thread stopping;

    ParallelStop(SparkTrialExecutor executor) {
        this.executor = executor;
    }

    /** Drains the tasks and begins Spark's stop; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (stopping == null) {
            stopping = executor.closeInBackground();
        }
    }

    /** Begins the stop if needed and waits for it; an interrupt is kept for the caller, not a reason to leave early. */
    void await() {
        close();
        boolean interrupted = Thread.interrupted();
        while (true) {
            try {
                stopping.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
