package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.diagnose.Diagnosis;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.stopping.Decision;

import java.util.List;
import java.util.Map;

/**
 * The driver's mutable view of one trial while it runs: state, the attempt whose records count, the stop
 * decision, the worker's outcome. Its curve is not here: the study's {@code StudyCurves} owns every curve. Guarded
 * by the owning {@link Study}'s lock; leaves as a {@link TrialResult}.
 */
final class Trial {

    final String id;
    final int number;
    final Map<String, Object> params;
    final long submittedNanos = System.nanoTime();
    TrialState state = TrialState.QUEUED;
    /** The attempt whose records make the curve; -1 before the first record. */
    int attempt = -1;
    /** Which attempts Spark started, how far each got, and records held back until their attempt starts. */
    final Attempts attempts;
    /** Accepted records of attempts older than {@link #attempt}: epochs trained that are not the curve. */
    int supersededEpochs;
    Decision stop;
    TrialOutcome outcome;
    String error;
    double seconds;
    /** Threads in {@code Study.finish} waiting for this trial's records. */
    int recordWaiters;
    /** The parameter count of a trial restored from the journal (it has no outcome). */
    long restoredNumParams;
    /** Set when the trial becomes terminal, after which nothing above changes. */
    TrialResult result;

    Trial(String id, int number, Map<String, Object> params, Attempts attempts) {
        this.id = id;
        this.number = number;
        this.params = Map.copyOf(params);
        this.attempts = attempts;
    }

    /**
     * The terminal view of this trial.
     *
     * @param curve     its records in epoch order
     * @param diagnosis what its records say about its health, or null when it has none
     * @param placement its attempts and where its curve was trained
     */
    TrialResult toResult(StudyConfig.Objective objective, List<EpochMetrics> curve, Diagnosis diagnosis,
                         TrialResult.Placement placement) {
        EpochMetrics best = null;
        for (EpochMetrics m : curve) {
            double v = value(objective, m);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (objective.maximize() ? v > value(objective, best) : v < value(objective, best))) {
                best = m;
            }
        }
        long numParams = numParams(curve);
        if (best == null) {
            return new TrialResult(id, number, params, state, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                    curve.size(), seconds, stop, error, numParams, diagnosis, placement, stopLatency());
        }
        return new TrialResult(id, number, params, state, value(objective, best), best.valAccuracy(), best.valLoss(),
                best.trainLoss(), best.epoch(), curve.size(), seconds, stop, error, numParams, diagnosis, placement,
                stopLatency(), best.valMaeOrNaN(), best.valR2OrNaN());
    }

    /**
     * The network's size: the worker's outcome says it, else its epoch records (a pruned trial's job is cancelled
     * and no outcome comes back; the worker reports the size from the first epoch on), else what a resumed study
     * restored from its journal; 0 when none says.
     */
    private long numParams(List<EpochMetrics> curve) {
        if (outcome != null && outcome.numParams() > 0) {
            return outcome.numParams();
        }
        for (int i = curve.size() - 1; i >= 0; i--) {
            if (curve.get(i).numParamsOrZero() > 0) {
                return curve.get(i).numParamsOrZero();
            }
        }
        return outcome != null ? outcome.numParams() : restoredNumParams;
    }

    /** How far past its stop decision the outcome's attempt trained, or null (no stop, no outcome, not reported). */
    private TrialResult.StopLatency stopLatency() {
        if (stop == null || outcome == null || outcome.attempt() != attempt) {
            return null;
        }
        return TrialResult.StopLatency.of(stop.epoch(), outcome.epochsRun(), outcome.batchesPerEpoch(),
                outcome.partialBatches());
    }

    static double value(StudyConfig.Objective objective, EpochMetrics m) {
        return io.gradtune.worker.stopping.Objective.valueOf(objective.metric(), m);
    }
}
