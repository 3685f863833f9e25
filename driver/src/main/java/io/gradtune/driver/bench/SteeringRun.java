package io.gradtune.driver.bench;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.study.TrialResult;

import java.util.List;
import java.util.Set;

/**
 * One study of the steering benchmark: one arm, one seed.
 *
 * <p>A trial is <em>pathological</em> ({@link #isPathological}) when an infeasible rule stopped it (divergence,
 * exploding or vanishing gradients) or its primary diagnosis is VANISHING_GRADIENT or EXPLODING_GRADIENT (a trial
 * ASHA pruned at its first rung is diagnosed from the epochs it had). Its epochs are every attempt's
 * ({@link TrialResult#epochsTrained()}).
 *
 * @param arm                the arm
 * @param seed               the search seed
 * @param trials             trials run
 * @param pathological       pathological trials
 * @param pathologicalEpochs epochs those trials trained
 * @param epochs             epochs all trials trained
 * @param repairs            repairs that finished with a diagnosis ({@code study.json} {@code repairs}, tried; 0 unless
 *                           repairing)
 * @param repairsSucceeded   of those, the ones that succeeded
 * @param bestValAccuracy    the study's best validation accuracy (its leaderboard's first trial), NaN when none
 * @param wallSeconds        the study's wall time
 * @param failure            why the study failed, or null
 */
public record SteeringRun(SteeringArm arm, long seed, int trials, int pathological, int pathologicalEpochs,
                          int epochs, int repairs, int repairsSucceeded, double bestValAccuracy, double wallSeconds, String failure) {

    private static final Set<DiagnosisKind> GRADIENT_KINDS = Set.of(DiagnosisKind.VANISHING_GRADIENT,
            DiagnosisKind.EXPLODING_GRADIENT);

    /** The counts of a finished study's results. */
    public static SteeringRun of(SteeringArm arm, long seed, List<TrialResult> results, int repairs,
                                 int repairsSucceeded, TrialResult best, double wallSeconds, String failure) {
        int pathological = 0;
        int pathologicalEpochs = 0;
        int epochs = 0;
        for (TrialResult r : results) {
            epochs += r.epochsTrained();
            if (isPathological(r)) {
                pathological++;
                pathologicalEpochs += r.epochsTrained();
            }
        }
        return new SteeringRun(arm, seed, results.size(), pathological, pathologicalEpochs, epochs, repairs,
                repairsSucceeded,
                best == null ? Double.NaN : best.valAccuracy(), wallSeconds, failure);
    }

    /** Stopped by an infeasible rule, or diagnosed with a vanishing or exploding gradient. */
    public static boolean isPathological(TrialResult r) {
        return (r.stop() != null && r.stop().marksInfeasible())
                || (r.diagnosis() != null && GRADIENT_KINDS.contains(r.diagnosis().primary()));
    }
}
