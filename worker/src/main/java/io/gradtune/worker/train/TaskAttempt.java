package io.gradtune.worker.train;

/**
 * Where and as which attempt a trial is being trained: what the Spark task knows about itself, handed to
 * {@link TrialRunner} so every epoch record names it. The worker has no Spark dependency; the driver's task
 * function fills this from Spark's {@code TaskContext} and {@code SparkEnv}.
 *
 * @param number     Spark task attempt number ({@code TaskContext.attemptNumber()}, 0 for the first)
 * @param executorId Spark executor id ({@code "driver"} in local mode)
 * @param host       the executor's host as Spark names it
 * @param threads    native threads the trial may use ({@code TaskContext.cpus()}, i.e. {@code spark.task.cpus});
 *                   0 leaves this JVM's thread settings as they are (in-process runs)
 */
public record TaskAttempt(int number, String executorId, String host, int threads) {

    /** Spark's executor id for the driver JVM, which is also the only executor in local mode. */
    public static final String DRIVER = "driver";

    public TaskAttempt {
        if (number < 0) {
            throw new IllegalArgumentException("attempt number must be >= 0, was " + number);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        if (executorId == null || host == null) {
            throw new IllegalArgumentException("executorId and host are required");
        }
    }

    /**
     * An attempt trained in this JVM outside Spark (tests, benchmarks): executor {@link #DRIVER} on localhost, the
     * JVM's thread settings left alone.
     */
    public static TaskAttempt inProcess(int number) {
        return new TaskAttempt(number, DRIVER, "localhost", 0);
    }
}
