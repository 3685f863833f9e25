package io.gradtune.driver.distributed;

/**
 * How {@link DataParallelTrainer} trains: immutable, checked when built.
 *
 * @param workers            N, the number of data partitions trained in parallel (one Spark task each per averaging
 *                           round); at most the executors' task slots run at once, more queue
 * @param batchSizePerWorker mini-batch size on each worker
 * @param epochs             passes over the training data
 * @param averagingFrequency mini-batches each worker fits between two parameter averagings
 * @param seed               seed of dl4j-spark's random split of the data into averaging rounds
 */
public record DataParallelSettings(int workers, int batchSizePerWorker, int epochs, int averagingFrequency, long seed) {

    /**
     * Default averaging frequency: 5 mini-batches per worker between averagings. DL4J's guidance is 5 to 10: lower
     * spends the epoch broadcasting and collecting parameters (one Spark job per round), higher lets the workers'
     * copies drift apart and the average learn less per step. At 5, digits with 2 workers and batch 32 average
     * four times per epoch.
     */
    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;

    public DataParallelSettings {
        positive("workers", workers);
        positive("batchSizePerWorker", batchSizePerWorker);
        positive("epochs", epochs);
        positive("averagingFrequency", averagingFrequency);
    }

    /** Settings with the {@link #DEFAULT_AVERAGING_FREQUENCY}. */
    public static DataParallelSettings of(int workers, int batchSizePerWorker, int epochs, long seed) {
        return new DataParallelSettings(workers, batchSizePerWorker, epochs, DEFAULT_AVERAGING_FREQUENCY, seed);
    }

    /** Rows one averaging round trains: every worker fits {@code averagingFrequency} mini-batches. */
    public long rowsPerRound() {
        return (long) workers * batchSizePerWorker * averagingFrequency;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("data-parallel " + field + " must be at least 1, got " + value);
        }
    }
}
