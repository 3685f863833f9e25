package io.gradtune.driver.study;

import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.rank.Diagnoser;
import io.gradtune.driver.rank.Diagnosis;
import io.gradtune.driver.stopping.Decision;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.TrialOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The driver's mutable view of one trial while it runs: state, the epoch curve received from Kafka, the stop
 * decision, the worker's outcome. Guarded by the owning {@link Study}'s lock; leaves as a {@link TrialResult}.
 */
final class Trial {

    private static final Diagnoser DIAGNOSER = new Diagnoser();

    final String id;
    final int number;
    final Map<String, Object> params;
    final long submittedNanos = System.nanoTime();
    TrialState state = TrialState.QUEUED;
    int attempt = -1;
    final List<EpochMetrics> curve = new ArrayList<>();
    Decision stop;
    TrialOutcome outcome;
    String error;
    double seconds;
    /** Threads in {@code Study.finish} waiting for this trial's records. */
    int recordWaiters;
    /** Set when the trial becomes terminal, after which nothing above changes. */
    TrialResult result;

    Trial(String id, int number, Map<String, Object> params) {
        this.id = id;
        this.number = number;
        this.params = Map.copyOf(params);
    }

    /** Adds an epoch record; a newer attempt (a retried task) replaces the older attempt's curve. */
    boolean add(EpochMetrics m) {
        if (m.attempt() < attempt) {
            return false;
        }
        if (m.attempt() > attempt) {
            attempt = m.attempt();
            curve.clear();
        }
        if (m.epoch() != curve.size() + 1) {
            return false;
        }
        curve.add(m);
        return true;
    }

    TrialResult toResult(StudyConfig.Objective objective) {
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
        long numParams = outcome == null ? 0 : outcome.numParams();
        Diagnosis diagnosis = curve.isEmpty() ? null : DIAGNOSER.diagnose(curve, stop);
        if (best == null) {
            return new TrialResult(id, number, params, state, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                    curve.size(), seconds, stop, error, numParams, diagnosis);
        }
        return new TrialResult(id, number, params, state, value(objective, best), best.valAccuracy(), best.valLoss(),
                best.trainLoss(), best.epoch(), curve.size(), seconds, stop, error, numParams, diagnosis);
    }

    static double value(StudyConfig.Objective objective, EpochMetrics m) {
        return objective.metric().equals("val_loss") ? m.valLoss() : m.valAccuracy();
    }
}
