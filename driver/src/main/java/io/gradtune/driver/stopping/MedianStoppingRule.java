package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.ArrayList;
import java.util.Arrays;
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
        List<Double> averages = new ArrayList<>();
        for (Map.Entry<String, List<EpochMetrics>> e : study.curves().entrySet()) {
            if (!e.getKey().equals(last.trialId())) {
                runningAverage(e.getValue(), t, study).ifPresent(averages::add);
            }
        }
        if (averages.size() < settings.minTrials()) {
            return Decision.CONTINUE;
        }
        double median = median(averages);
        double best = Objectives.best(curve, study);
        if (Objectives.better(median, best, study)) {
            return new Decision(Decision.Action.PRUNE, NAME, t,
                    "best " + study.objectiveMetric() + " so far " + Format.num(best) + " is worse than the median "
                            + Format.num(median) + " of " + averages.size()
                            + " other trials' running averages at epoch " + t,
                    Map.of("best", best, "median", median, "trials", (double) averages.size(),
                            "min_epochs", (double) settings.minEpochs(), "min_trials", (double) settings.minTrials()));
        }
        return Decision.CONTINUE;
    }

    /** Mean objective over epochs 1..t of a curve that reached epoch t; empty if it did not. */
    private static OptionalDouble runningAverage(List<EpochMetrics> other, int t, StudyCurves study) {
        double sum = 0;
        int n = 0;
        boolean reached = false;
        for (EpochMetrics m : other) {
            if (m.epoch() <= t) {
                sum += Objectives.value(m, study);
                n++;
                reached |= m.epoch() == t;
            }
        }
        return reached ? OptionalDouble.of(sum / n) : OptionalDouble.empty();
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
