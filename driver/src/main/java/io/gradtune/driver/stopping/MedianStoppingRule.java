package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.Quantiles;
import io.gradtune.worker.stopping.Check;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.Format;
import io.gradtune.worker.stopping.Objectives;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The median stopping rule of Google Vizier (Golovin et al., KDD 2017): after epoch {@code t} a trial is pruned if
 * its best objective so far is strictly worse than the median, over the other trials that reached epoch {@code t},
 * of their running averages of the objective over epochs 1..t. Model-free and robust to noisy curves, it needs
 * nothing but the study's own history.
 *
 * <p>Running averages (not the others' best-so-far) are what Vizier uses: they lag behind a curve's best, which
 * makes the rule lenient towards slow starters. A non-finite objective counts as the worst value.
 */
public final class MedianStoppingRule implements StoppingRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "median";

    /**
     * Settings of {@link MedianStoppingRule}.
     *
     * @param minEpochs {@code min_epochs}: grace period; no decision before this epoch; default 3, so first-epoch
     *                  noise and warm-up do not decide. Must be &ge; 1.
     * @param minTrials {@code min_trials}: fewest other trials that must have reached the epoch before the median
     *                  means anything; default 5. Must be &ge; 1.
     */
    public record Settings(int minEpochs, int minTrials) {

        public static final int DEFAULT_MIN_EPOCHS = 3;
        public static final int DEFAULT_MIN_TRIALS = 5;

        public Settings {
            Check.atLeast("min_epochs", minEpochs, 1);
            Check.atLeast("min_trials", minTrials, 1);
        }

        /** The defaults: {@code min_epochs = 3, min_trials = 5}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MIN_EPOCHS, DEFAULT_MIN_TRIALS);
        }
    }

    private final Settings settings;

    public MedianStoppingRule(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Every epoch from {@code min_epochs} below {@code maxEpochs}: the median rule may decide at each. */
    @Override
    public List<Integer> decisionEpochs(int maxEpochs) {
        return java.util.stream.IntStream.range(settings.minEpochs(), maxEpochs).boxed().toList();
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, StudyCurves study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int t = last.epoch();
        if (t < settings.minEpochs()) {
            return Decision.CONTINUE;
        }
        // The running averages at t of every trial that reached t, without this trial's own entry.
        SortedDoubles all = study.runningAveragesAt(t);
        OptionalDouble own = study.runningAverage(last.trialId(), t);
        int others = all.size() - (own.isPresent() ? 1 : 0);
        if (others < settings.minTrials()) {
            return Decision.CONTINUE;
        }
        double median = Quantiles.ofSorted(i -> all.select(i, own, OptionalDouble.empty()), others, 0.5);
        double best = Objectives.best(curve, study);
        if (Objectives.better(median, best, study)) {
            return new Decision(Decision.Action.PRUNE, NAME, t,
                    "best " + study.objectiveMetric() + " so far " + Format.num(best) + " is worse than the median "
                            + Format.num(median) + " of " + others
                            + " other trials' running averages at epoch " + t,
                    Map.of("best", best, "median", median, "trials", (double) others,
                            "min_epochs", (double) settings.minEpochs(), "min_trials", (double) settings.minTrials()));
        }
        return Decision.CONTINUE;
    }
}
