package io.gradtune.worker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One epoch of one trial attempt, as a worker publishes it to {@code <prefix>.metrics} (key = trial id).
 *
 * <p>The driver accepts a record only when it is of its own run ({@code runId}), of a trial and an attempt it
 * launched, and the next epoch of that attempt: a retried Spark task publishes again with a new producer, which
 * Kafka's idempotence does not cover. A record of a newer attempt replaces the older attempt's curve.
 *
 * <p>Schema history: 1 had no executor; 2 added {@code executorId} and {@code host} (after {@code attempt});
 * 3 added {@code runId} (after {@code study}). Within schema 3, a regression's records add {@code valMae} and
 * {@code valR2} at the end (absent from a classification's records, and from records written before regression;
 * readers that do not know them ignore them).
 *
 * @param type          always {@link #TYPE}
 * @param schemaVersion always {@link #SCHEMA_VERSION} for records this code writes
 * @param study         study name
 * @param runId         the run that launched the trial, copied from its {@link TrialSpec#runId()}
 * @param trialId       trial id, for example {@code t0007}
 * @param attempt       Spark task attempt number ({@code TaskContext.attemptNumber()}: 0 for the first; a task
 *                      rerun after a failure or a lost executor gets the next number)
 * @param executorId    Spark executor id of the attempt ({@code "driver"} in local mode)
 * @param host          host of that executor as Spark names it (its block manager's host)
 * @param epoch         1-based epoch number
 * @param trainLoss     mean mini-batch training loss over the epoch (includes regularization)
 * @param valLoss       loss on the validation split at the end of the epoch (regression: the mean squared error,
 *                      on the target's original scale)
 * @param valAccuracy   accuracy on the validation split at the end of the epoch (regression: NaN)
 * @param learningRate  learning rate in effect at the end of the epoch
 * @param epochMillis   wall time of this epoch (training and evaluation)
 * @param timestampMillis epoch-milli time the record was created
 * @param layers        one entry per weight-carrying layer, input side first
 * @param valMae        regression: mean absolute error on the validation split; null for a classification
 * @param valR2         regression: R² on the validation split; null for a classification
 * @param batches       mini-batches the epoch trained: all of the training split's, or fewer when the worker ended
 *                      the epoch early because its training loss was no longer finite; null in records of workers
 *                      that did not report it (an optional field: the schema version is unchanged)
 * @param numParams     trainable parameters of the attempt's network, known from its first epoch, so a trial whose
 *                      job is cancelled (pruned: no {@link TrialOutcome} comes back) still has its size; null in
 *                      records of workers that did not report it (optional, like {@code batches})
 */
public record EpochMetrics(
        String type,
        int schemaVersion,
        String study,
        String runId,
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
        List<LayerStats> layers,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double valMae,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double valR2,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer batches,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long numParams) implements Message {

    public static final String TYPE = "epoch_metrics";
    /** 2: {@code executorId} and {@code host} added; 3: {@code runId} added. */
    public static final int SCHEMA_VERSION = 3;

    @JsonCreator
    public EpochMetrics {
        layers = List.copyOf(layers);
    }

    /** A classification's record (no {@code valMae}, no {@code valR2}). */
    public EpochMetrics(String type, int schemaVersion, String study, String runId, String trialId, int attempt,
                        String executorId, String host, int epoch, double trainLoss, double valLoss, double valAccuracy,
                        double learningRate, long epochMillis, long timestampMillis, List<LayerStats> layers) {
        this(type, schemaVersion, study, runId, trialId, attempt, executorId, host, epoch, trainLoss, valLoss,
                valAccuracy, learningRate, epochMillis, timestampMillis, layers, null, null, null, null);
    }

    /** This record with a regression's mean absolute error and R² on the validation split. */
    public EpochMetrics withRegression(double mae, double r2) {
        return new EpochMetrics(type, schemaVersion, study, runId, trialId, attempt, executorId, host, epoch, trainLoss,
                valLoss, valAccuracy, learningRate, epochMillis, timestampMillis, layers, mae, r2, batches, numParams);
    }

    /** The validation mean absolute error, NaN when the record has none (a classification's). */
    public double valMaeOrNaN() {
        return valMae == null ? Double.NaN : valMae;
    }

    /** The validation R², NaN when the record has none (a classification's). */
    public double valR2OrNaN() {
        return valR2 == null ? Double.NaN : valR2;
    }

    /** Creates a record of the current type and schema version. */
    public static EpochMetrics of(String study, String runId, String trialId, int attempt, String executorId, String host, int epoch,
                                  double trainLoss, double valLoss, double valAccuracy, double learningRate,
                                  long epochMillis, long timestampMillis, List<LayerStats> layers) {
        return new EpochMetrics(TYPE, SCHEMA_VERSION, study, runId, trialId, attempt, executorId, host, epoch, trainLoss,
                valLoss, valAccuracy, learningRate, epochMillis, timestampMillis, layers, null, null, null, null);
    }

    /** This record, saying it trained {@code count} mini-batches. */
    public EpochMetrics withBatches(int count) {
        return new EpochMetrics(type, schemaVersion, study, runId, trialId, attempt, executorId, host, epoch, trainLoss,
                valLoss, valAccuracy, learningRate, epochMillis, timestampMillis, layers, valMae, valR2, count, numParams);
    }

    /** This record, saying its network has {@code count} trainable parameters. */
    public EpochMetrics withNumParams(long count) {
        return new EpochMetrics(type, schemaVersion, study, runId, trialId, attempt, executorId, host, epoch, trainLoss,
                valLoss, valAccuracy, learningRate, epochMillis, timestampMillis, layers, valMae, valR2, batches, count);
    }

    /** The network's trainable parameters, 0 when the record does not say. */
    public long numParamsOrZero() {
        return numParams == null ? 0 : numParams;
    }
}
