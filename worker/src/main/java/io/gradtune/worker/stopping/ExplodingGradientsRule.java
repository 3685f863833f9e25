package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.List;
import java.util.Map;

/**
 * Prunes a trial whose gradients are exploding, before the loss turns NaN: either a layer's mean gradient norm is
 * already above {@code max_norm}, or the largest layer gradient norm has grown by a factor of at least
 * {@code growth} in each of the last {@code patience} epochs (geometric growth, the signature of an unstable
 * learning rate or recurrent amplification).
 */
public final class ExplodingGradientsRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "exploding_gradients";

    /**
     * Settings of {@link ExplodingGradientsRule}.
     *
     * @param maxNorm  {@code max_norm}: prune when any layer's mean gradient L2 norm exceeds it; default 1e3. Healthy
     *                 dense layers trained on standardized inputs show norms of order 0.01-10 per mini-batch (the
     *                 sign of a trouble-free run is a norm near 1), so 1e3 is two orders of magnitude above healthy
     *                 while still before overflow. Must be &gt; 0.
     * @param growth   {@code growth}: per-epoch growth factor of the largest layer norm counted as exploding;
     *                 default 2 (a doubling each epoch). Must be &gt; 1.
     * @param patience {@code patience}: consecutive epochs of such growth before pruning; default 3, i.e. an
     *                 eight-fold rise over three epochs, which one noisy epoch cannot produce. Must be &ge; 1.
     */
    public record Settings(double maxNorm, double growth, int patience) {

        public static final double DEFAULT_MAX_NORM = 1e3;
        public static final double DEFAULT_GROWTH = 2.0;
        public static final int DEFAULT_PATIENCE = 3;

        public Settings {
            Check.finiteAbove("max_norm", maxNorm, 0);
            Check.finiteAbove("growth", growth, 1.0);
            Check.atLeast("patience", patience, 1);
        }

        /** The defaults: {@code max_norm = 1e3, growth = 2, patience = 3}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_NORM, DEFAULT_GROWTH, DEFAULT_PATIENCE);
        }
    }

    private final Settings settings;
    private final ClassPrior prior;

    /** The rule without a class prior: the tests that judge a loss against it are skipped. */
    public ExplodingGradientsRule(Settings settings) {
        this(settings, null);
    }

    /**
     * @param settings the rule's settings
     * @param prior    the dataset's class prior, or null when unknown
     */
    public ExplodingGradientsRule(Settings settings, ClassPrior prior) {
        this.settings = settings;
        this.prior = prior;
    }

    public Settings settings() {
        return settings;
    }

    /** The largest layer gradient L2 norm of a record (NaN if any is NaN), 0 for a record without layers. */
    public static double maxGradL2(EpochMetrics m) {
        double max = 0;
        for (LayerStats layer : m.layers()) {
            if (Double.isNaN(layer.gradL2())) {
                return Double.NaN;
            }
            max = Math.max(max, layer.gradL2());
        }
        return max;
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        for (LayerStats layer : last.layers()) {
            if (layer.gradL2() > settings.maxNorm()) {
                return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                        "layer " + layer.index() + " gradient norm " + Format.num(layer.gradL2()) + " > max_norm "
                                + Format.num(settings.maxNorm()),
                        Map.of("layer", (double) layer.index(), "grad_l2", layer.gradL2(),
                                "max_norm", settings.maxNorm()));
            }
        }
        int p = settings.patience();
        if (curve.size() < p + 1) {
            return Decision.CONTINUE;
        }
        double start = maxGradL2(curve.get(curve.size() - 1 - p));
        double minFactor = Double.POSITIVE_INFINITY;
        for (int i = curve.size() - p; i < curve.size(); i++) {
            double before = maxGradL2(curve.get(i - 1));
            double after = maxGradL2(curve.get(i));
            double factor = after / before;
            if (!(before > 0) || !(factor >= settings.growth())) {
                return Decision.CONTINUE;
            }
            minFactor = Math.min(minFactor, factor);
        }
        double end = maxGradL2(last);
        return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                "largest layer gradient norm grew from " + Format.num(start) + " to " + Format.num(end)
                        + ", at least x" + Format.num(minFactor) + " per epoch (>= growth " + Format.num(settings.growth())
                        + ") for " + p + " epochs",
                Map.of("grad_l2_start", start, "grad_l2", end, "min_growth", minFactor,
                        "growth", settings.growth(), "patience", (double) p));
    }
}
