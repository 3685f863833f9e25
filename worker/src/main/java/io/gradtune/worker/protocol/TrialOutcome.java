package io.gradtune.worker.protocol;

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
 * @param valLoss       validation loss of the last completed epoch (NaN if none)
 * @param valAccuracy   validation accuracy of the last completed epoch (NaN if none)
 * @param numParams     number of trainable parameters of the network
 * @param seconds       wall time of the attempt on the executor
 * @param error         error message when status is FAILED, else null
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
        String error) implements Message {

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

    /** Creates an outcome of the current type and schema version. */
    public static TrialOutcome of(String study, String trialId, int attempt, Status status, int epochsRun,
                                  double trainLoss, double valLoss, double valAccuracy, long numParams,
                                  double seconds, String error) {
        return new TrialOutcome(TYPE, SCHEMA_VERSION, study, trialId, attempt, status, epochsRun, trainLoss,
                valLoss, valAccuracy, numParams, seconds, error);
    }
}
