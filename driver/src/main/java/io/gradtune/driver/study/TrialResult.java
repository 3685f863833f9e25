package io.gradtune.driver.study;

import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.worker.stopping.Decision;

import java.util.Map;

/**
 * A trial as the reports see it once it is terminal: immutable, built from the trial's stream and outcome.
 *
 * @param trialId     trial id
 * @param number      1-based trial number (proposal order)
 * @param params      the parameter assignment
 * @param state       terminal state
 * @param objective   objective value at the best epoch (NaN if no epoch finished)
 * @param valAccuracy validation accuracy at the best epoch
 * @param valLoss     validation loss at the best epoch
 * @param trainLoss   training loss at the best epoch
 * @param bestEpoch   epoch with the best objective (0 if none)
 * @param epochs      epochs of its curve: the accepted records of the attempt whose records make the curve (see
 *                    {@link #epochsTrained()} for every attempt's)
 * @param seconds     wall time from submission to the end, seconds
 * @param stop        the stopping decision, or null when the trial ran its whole budget
 * @param error       failure message, or null
 * @param numParams   trainable parameters of the network (0 if unknown)
 * @param diagnosis   what the trial's stream says about its health, or null when no epoch arrived
 * @param placement   how many Spark task attempts it took and which executor trained its curve
 * @param stopLatency how far past its stop decision the trial trained, or null (no stop, or not measured)
 * @param valMae      regression: validation mean absolute error at the best epoch; NaN for a classification
 * @param valR2       regression: validation R² at the best epoch; NaN for a classification
 */
public record TrialResult(
        String trialId,
        int number,
        Map<String, Object> params,
        TrialState state,
        double objective,
        double valAccuracy,
        double valLoss,
        double trainLoss,
        int bestEpoch,
        int epochs,
        double seconds,
        Decision stop,
        String error,
        long numParams,
        Diagnosis diagnosis,
        Placement placement,
        StopLatency stopLatency,
        double valMae,
        double valR2) {

    /** A result without a regression's figures. */
    public TrialResult(String trialId, int number, Map<String, Object> params, TrialState state, double objective,
                       double valAccuracy, double valLoss, double trainLoss, int bestEpoch, int epochs, double seconds,
                       Decision stop, String error, long numParams, Diagnosis diagnosis, Placement placement,
                       StopLatency stopLatency) {
        this(trialId, number, params, state, objective, valAccuracy, valLoss, trainLoss, bestEpoch, epochs, seconds,
                stop, error, numParams, diagnosis, placement, stopLatency, Double.NaN, Double.NaN);
    }

    /** A result without a measured stop latency. */
    public TrialResult(String trialId, int number, Map<String, Object> params, TrialState state, double objective,
                       double valAccuracy, double valLoss, double trainLoss, int bestEpoch, int epochs, double seconds,
                       Decision stop, String error, long numParams, Diagnosis diagnosis, Placement placement) {
        this(trialId, number, params, state, objective, valAccuracy, valLoss, trainLoss, bestEpoch, epochs, seconds,
                stop, error, numParams, diagnosis, placement, null);
    }

    /**
     * How far a stopped trial trained past the epoch its stop was decided on, from the worker's outcome: whole epochs
     * after that epoch and the mini-batches they and any unfinished epoch held. 0 mini-batches: the trial ended at
     * the decision (a per-trial rule the worker applies itself, or a cancel that arrived before the next mini-batch).
     *
     * @param epochs  epochs completed after the decision epoch
     * @param batches mini-batches trained after the decision
     */
    public record StopLatency(int epochs, int batches) {

        /**
         * The latency of a stop decided after {@code decisionEpoch}, for an attempt that completed {@code epochsRun}
         * epochs and {@code partialBatches} mini-batches of the next, with {@code batchesPerEpoch} per epoch; null
         * when the worker did not report its mini-batches.
         */
        public static StopLatency of(int decisionEpoch, int epochsRun, int batchesPerEpoch, int partialBatches) {
            if (batchesPerEpoch <= 0 || epochsRun < decisionEpoch) {
                return null;
            }
            int epochs = epochsRun - decisionEpoch;
            return new StopLatency(epochs, epochs * batchesPerEpoch + partialBatches);
        }
    }

    /**
     * Where a trial ran.
     *
     * @param attempts         Spark task attempts it took (1 normally; 2 after a lost executor or a failed first
     *                         attempt); 0 when unknown
     * @param executorId       the Spark executor of the attempt whose records make the curve, or null without records
     * @param host             that executor's host, or null
     * @param supersededEpochs epochs trained by earlier attempts whose records a newer attempt's curve replaced
     */
    public record Placement(int attempts, String executorId, String host, int supersededEpochs) {
        /** Nothing known (no attempt reported). */
        public static final Placement NONE = new Placement(0, null, null, 0);

        /** A placement without superseded epochs. */
        public Placement(int attempts, String executorId, String host) {
            this(attempts, executorId, host, 0);
        }
    }

    public TrialResult {
        placement = placement == null ? Placement.NONE : placement;
    }

    /**
     * Epochs trained for this trial by every attempt: its curve's epochs plus those of superseded attempts. Summed
     * over a study's trials it is the number of accepted records, and so the line count of {@code metrics.jsonl}.
     */
    public int epochsTrained() {
        return epochs + placement.supersededEpochs();
    }

    /** The primary diagnosis name for tables, or empty. */
    public String diagnosisName() {
        return diagnosis == null ? "" : diagnosis.primary().name();
    }

    /**
     * Completed before its budget: a COMPLETE decision (a plateau) ended it early. A plateau on the budget's last
     * epoch stops nothing and is no stop ({@link Study} records none), so such a trial ran its whole budget.
     */
    public boolean stoppedEarly() {
        return state == TrialState.COMPLETED && stop != null;
    }

    /** The stop reason for reports: "rule@epoch: reason", or empty. */
    public String stopReason() {
        return stop == null ? "" : stop.rule() + "@" + stop.epoch() + ": " + stop.reason();
    }
}
