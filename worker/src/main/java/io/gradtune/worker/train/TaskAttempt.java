package io.gradtune.worker.train;

/**
 * Where and as which attempt a trial is being trained: what the Spark task knows about itself, handed to
 * {@link TrialRunner} so every epoch record names it. The worker has no Spark dependency; the driver's task
 * function fills this from Spark's {@code TaskContext} and {@code SparkEnv}.
 *
 * @param number     Spark task attempt number ({@code TaskContext.attemptNumber()}, 0 for the first)
 * @param executorId Spark executor id ({@code "driver"} in local mode)
 * @param host       the executor's host as Spark names it
 */
public record TaskAttempt(int number, String executorId, String host) {

    /** Spark's executor id for the driver JVM, which is also the only executor in local mode. */
    public static final String DRIVER = "driver";

    public TaskAttempt {
        if (number < 0) {
            throw new IllegalArgumentException("attempt number must be >= 0, was " + number);
        }
        if (executorId == null || host == null) {
            throw new IllegalArgumentException("executorId and host are required");
        }
    }

    /** An attempt trained in this JVM outside Spark (tests, benchmarks): executor {@link #DRIVER} on localhost. */
    public static TaskAttempt inProcess(int number) {
        return new TaskAttempt(number, DRIVER, "localhost");
    }
}
