package io.gradtune.worker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a worker returns to the driver when a trial attempt ends (normally, by interruption, or by error).
 *
 * @param type          always {@link #TYPE}
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param study         study name
 * @param trialId       trial id
 * @param attempt       Spark task attempt number
 * @param status        how the attempt ended
 * @param epochsRun     epochs completed (and published)
 * @param trainLoss     training loss of the last completed epoch (NaN if none)
 * @param valLoss       validation loss of the last completed epoch (NaN if none; regression: the mean squared error)
 * @param valAccuracy   validation accuracy of the last completed epoch (NaN if none)
 * @param numParams     number of trainable parameters of the network
 * @param seconds       wall time of the attempt on the executor
 * @param error         error message when status is FAILED, else null
 * @param batchesPerEpoch mini-batches in one epoch of this trial (0 when unknown: an older worker, or the trial never
 *                      built its network)
 * @param partialBatches  mini-batches trained in an epoch that was under way when the attempt stopped (0 when it
 *                      stopped at an epoch's end); with {@code epochsRun} it tells the driver how far past its stop
 *                      decision the trial trained
 * @param valMae        regression: validation mean absolute error of the last completed epoch; null for a
 *                      classification (added within schema 2; absent from older outcomes)
 * @param valR2         regression: validation R² of the last completed epoch; null for a classification
 */
public record TrialOutcome(
        String type,
        int schemaVersion,
        String study,
        String trialId,
        int attempt,
        Status status,
        int epochsRun,
        double trainLoss,
        double valLoss,
        double valAccuracy,
        long numParams,
        double seconds,
        String error,
        int batchesPerEpoch,
        int partialBatches,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double valMae,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double valR2) implements Message {

    public static final String TYPE = "trial_outcome";
    /** 2: {@code Status.COMPLETED} became {@code COMPLETED}, the driver's word for the same thing. */
    public static final int SCHEMA_VERSION = 2;

    /**
     * How a trial attempt ended on the worker: {@code COMPLETED} ran its epoch loop to its end (its budget, or the
     * worker's own patience), {@code INTERRUPTED} was cancelled (the driver's stop decision, or the study ending),
     * {@code FAILED} threw. The driver's {@code TrialState} uses the same words for the trial as a whole; a trial
     * whose attempt was INTERRUPTED by a stop decision ends as PRUNED or COMPLETED by that decision.
     */
    public enum Status { COMPLETED, INTERRUPTED, FAILED }

    @JsonCreator
    public TrialOutcome {
    }

    /** Creates an outcome of the current type and schema version. */
    public static TrialOutcome of(String study, String trialId, int attempt, Status status, int epochsRun,
                                  double trainLoss, double valLoss, double valAccuracy, long numParams,
                                  double seconds, String error) {
        return new TrialOutcome(TYPE, SCHEMA_VERSION, study, trialId, attempt, status, epochsRun, trainLoss,
                valLoss, valAccuracy, numParams, seconds, error, 0, 0, null, null);
    }

    /** This outcome with the trial's mini-batch counts (see {@link #batchesPerEpoch}, {@link #partialBatches}). */
    public TrialOutcome withBatches(int perEpoch, int partial) {
        return new TrialOutcome(type, schemaVersion, study, trialId, attempt, status, epochsRun, trainLoss, valLoss,
                valAccuracy, numParams, seconds, error, perEpoch, partial, valMae, valR2);
    }

    /** This outcome with a regression's validation mean absolute error and R². */
    public TrialOutcome withRegression(double mae, double r2) {
        return new TrialOutcome(type, schemaVersion, study, trialId, attempt, status, epochsRun, trainLoss, valLoss,
                valAccuracy, numParams, seconds, error, batchesPerEpoch, partialBatches, mae, r2);
    }
}
