package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;
import java.util.Map;

/**
 * Completes (stops as done, not pruned) a trial whose objective has not improved on its earlier best by more than
 * {@code min_delta} in the last {@code patience} epochs: classic early stopping, which saves the tail of a converged
 * run and keeps its best epoch as the result.
 */
public final class PlateauRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "plateau";

    /**
     * Settings of {@link PlateauRule}.
     *
     * @param patience {@code patience}: epochs without improvement before completing; default 10. The trials a
     *                 search keeps are the ones whose best epoch makes the study's best, and a validation metric
     *                 is noisy (one validation row of 360 moves accuracy by 0.28 points): at 5 the rule cut the
     *                 later, higher epochs off 18 of the 60 curves of an unpruned 60 x 20-epoch study, its best
     *                 among them, to save 17 % of its epochs (BENCHMARKS.md, "Session 12: smart search accuracy").
     *                 Optuna and Ray Tune stop no trial on a plateau unless asked (PatientPruner,
     *                 TrialPlateauStopper); at 10 the rule still ends the long flat tail of a long budget. Must be
     *                 &ge; 1.
     * @param minDelta {@code min_delta}: smallest change of the objective, in its own units, that counts as an
     *                 improvement; default 1e-4 (0.01 accuracy points, or 1e-4 of loss), which only filters
     *                 floating-point jitter. Must be &ge; 0.
     */
    public record Settings(int patience, double minDelta) {

        public static final int DEFAULT_PATIENCE = 10;
        public static final double DEFAULT_MIN_DELTA = 1e-4;

        public Settings {
            Check.atLeast("patience", patience, 1);
            Check.finiteAtLeast("min_delta", minDelta, 0);
        }

        /** The defaults: {@code patience = 10, min_delta = 1e-4}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_PATIENCE, DEFAULT_MIN_DELTA);
        }
    }

    private final Settings settings;

    public PlateauRule(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        int p = settings.patience();
        if (curve.size() <= p) {
            return Decision.CONTINUE;
        }
        int split = curve.size() - p;
        double reference = Objectives.best(curve.subList(0, split), study);
        double recent = Objectives.best(curve.subList(split, curve.size()), study);
        double gain = study.maximize() ? recent - reference : reference - recent;
        if (Double.isFinite(reference) && !(gain > settings.minDelta())) {
            EpochMetrics last = curve.get(curve.size() - 1);
            return new Decision(Decision.Action.COMPLETE, NAME, last.epoch(),
                    "best " + study.objectiveMetric() + " " + Format.num(recent) + " of the last " + p
                            + " epochs improves on the earlier best " + Format.num(reference) + " by "
                            + Format.num(gain) + ", not more than min_delta " + Format.num(settings.minDelta()),
                    Map.of("best_before", reference, "best_recent", recent, "gain", gain,
                            "min_delta", settings.minDelta(), "patience", (double) p));
        }
        return Decision.CONTINUE;
    }
}
