package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Check;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.Format;
import io.gradtune.worker.stopping.Objectives;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Asynchronous successive halving (ASHA, Li et al., MLSys 2020, arXiv 2018) as a stopping rule, one bracket.
 * Rungs sit at {@code r * eta^k} epochs below the maximum {@code R}. When a trial reaches a rung it continues only
 * if its objective at that epoch is among the top {@code max(1, floor(n / eta))} of the n trials recorded at that
 * rung so far (itself included); otherwise it is pruned.
 *
 * <p>ASHA proper pauses a non-promoted trial, which may be promoted later when more trials fill the rung. gradtune
 * cannot pause and resume trials, so, as in Optuna's SuccessiveHalvingPruner, the decision is final and the first
 * arrivals at a rung (fewer than {@code eta}) continue when they are the best so far. Rungs are judged on the
 * objective at the rung epoch itself, as in the paper; a non-finite objective ranks last.
 */
public final class AshaRule implements StoppingRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "asha";

    /**
     * Settings of {@link AshaRule} (the maximum epochs {@code R} comes from the study's training settings).
     *
     * @param minEpochs       {@code min_epochs}: r, the first rung; default 1, as in the paper and Ray Tune.
     * @param reductionFactor {@code reduction_factor}: eta; the top 1/eta of a rung continues and rungs are eta
     *                        times apart; default 3. With r = 1 and 30 epochs (rungs 1, 3, 9, 27) a trial costs
     *                        about 3 epochs on average when ranks were independent, and a well-ranked trial still
     *                        reaches the end. Must be &ge; 2.
     */
    public record Settings(int minEpochs, int reductionFactor) {

        public static final int DEFAULT_MIN_EPOCHS = 1;
        public static final int DEFAULT_REDUCTION_FACTOR = 3;

        public Settings {
            Check.atLeast("min_epochs", minEpochs, 1);
            Check.atLeast("reduction_factor", reductionFactor, 2);
        }

        /** The defaults: {@code min_epochs = 1, reduction_factor = 3}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MIN_EPOCHS, DEFAULT_REDUCTION_FACTOR);
        }
    }

    private final Settings settings;
    private final int maxEpochs;
    private final List<Integer> rungs;

    /**
     * @param settings  rung settings
     * @param maxEpochs R, the epochs a trial trains at most; rungs lie strictly below it. Must be &ge; 1.
     */
    public AshaRule(Settings settings, int maxEpochs) {
        Check.atLeast("max_epochs", maxEpochs, 1);
        this.settings = settings;
        this.maxEpochs = maxEpochs;
        List<Integer> r = new ArrayList<>();
        for (long e = settings.minEpochs(); e < maxEpochs; e *= settings.reductionFactor()) {
            r.add((int) e);
        }
        this.rungs = List.copyOf(r);
    }

    public Settings settings() {
        return settings;
    }

    public int maxEpochs() {
        return maxEpochs;
    }

    /** The rung epochs, ascending. */
    public List<Integer> rungs() {
        return rungs;
    }

    /** The rungs below {@code maxEpochs}: where ASHA decides. */
    @Override
    public List<Integer> decisionEpochs(int maxEpochs) {
        return rungs.stream().filter(e -> e < maxEpochs).toList();
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, StudyCurves study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int rung = last.epoch();
        if (!rungs.contains(rung)) {
            return Decision.CONTINUE;
        }
        double own = Objectives.value(last, study);
        // The values at this rung of every trial that reached it, with this trial's own record (the new one) in
        // place of whatever the study holds for it: an order statistic of the study's index, not a scan.
        SortedDoubles atRung = study.valuesAt(rung);
        OptionalDouble held = study.valueAt(last.trialId(), rung);
        int n = atRung.size() - (held.isPresent() ? 1 : 0) + 1;
        int k = Math.max(1, n / settings.reductionFactor());
        // k-th best: k-th largest when maximizing, k-th smallest when minimizing
        double cutoff = atRung.select(study.maximize() ? n - k : k - 1, held, OptionalDouble.of(own));
        if (Objectives.better(cutoff, own, study)) {
            return new Decision(Decision.Action.PRUNE, NAME, rung,
                    study.objectiveMetric() + " " + Format.num(own) + " at rung epoch " + rung
                            + " is not in the top " + k + " of " + n + " trials at this rung (cutoff "
                            + Format.num(cutoff) + ", reduction_factor " + settings.reductionFactor() + ")",
                    Map.of("value", own, "cutoff", cutoff, "rung", (double) rung, "trials_at_rung", (double) n,
                            "top_k", (double) k, "reduction_factor", (double) settings.reductionFactor()));
        }
        return Decision.CONTINUE;
    }
}
