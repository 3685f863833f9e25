package io.gradtune.worker.protocol;

import java.util.List;

/**
 * One epoch of one trial attempt, as a worker publishes it to {@code <prefix>.metrics} (key = trial id).
 *
 * <p>The driver deduplicates on (study, trialId, attempt, epoch): a retried Spark task publishes again with a
 * new producer, which Kafka's idempotence does not cover. A record of a newer attempt replaces the older attempt's
 * curve.
 *
 * <p>Schema history: 1 had no executor; 2 added {@code executorId} and {@code host} (after {@code attempt}).
 *
 * @param type          always {@link #TYPE}
 * @param schemaVersion always {@link #SCHEMA_VERSION} for records this code writes
 * @param study         study name
 * @param trialId       trial id, for example {@code t0007}
 * @param attempt       Spark task attempt number ({@code TaskContext.attemptNumber()}: 0 for the first; a task
 *                      rerun after a failure or a lost executor gets the next number)
 * @param executorId    Spark executor id of the attempt ({@code "driver"} in local mode)
 * @param host          host of that executor as Spark names it (its block manager's host)
 * @param epoch         1-based epoch number
 * @param trainLoss     mean mini-batch training loss over the epoch (includes regularization)
 * @param valLoss       loss on the validation split at the end of the epoch
 * @param valAccuracy   accuracy on the validation split at the end of the epoch
 * @param learningRate  learning rate in effect at the end of the epoch
 * @param epochMillis   wall time of this epoch (training and evaluation)
 * @param timestampMillis epoch-milli time the record was created
 * @param layers        one entry per weight-carrying layer, input side first
 */
public record EpochMetrics(
        String type,
        int schemaVersion,
        String study,
        String trialId,
        int attempt,
        String executorId,
        String host,
        int epoch,
        double trainLoss,
        double valLoss,
        double valAccuracy,
        double learningRate,
        long epochMillis,
        long timestampMillis,
        List<LayerStats> layers) implements Message {

    public static final String TYPE = "epoch_metrics";
    /** 2: {@code executorId} and {@code host} added. */
    public static final int SCHEMA_VERSION = 2;

    public EpochMetrics {
        layers = List.copyOf(layers);
    }

    /** Creates a record of the current type and schema version. */
    public static EpochMetrics of(String study, String trialId, int attempt, String executorId, String host, int epoch,
                                  double trainLoss, double valLoss, double valAccuracy, double learningRate,
                                  long epochMillis, long timestampMillis, List<LayerStats> layers) {
        return new EpochMetrics(TYPE, SCHEMA_VERSION, study, trialId, attempt, executorId, host, epoch, trainLoss,
                valLoss, valAccuracy, learningRate, epochMillis, timestampMillis, layers);
    }
}
