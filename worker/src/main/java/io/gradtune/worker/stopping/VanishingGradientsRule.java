package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.List;
import java.util.Map;

/**
 * Prunes a deep trial whose first layer has stopped learning because its gradient vanished on the way back from
 * the output: the gradient-norm ratio of layer 0 to the output layer (the last record entry) is below
 * {@code min_ratio} AND layer 0's update/weight ratio is below {@code min_update_ratio}, for {@code patience}
 * consecutive epochs. Only records with at least three layers are evaluated; shallower nets cannot vanish
 * meaningfully.
 *
 * <p>The second condition matters with adaptive optimizers: Adam rescales each parameter's step, so a net whose
 * first-layer gradients are small but above Adam's epsilon still moves its first layer and is left alone. When the
 * gradients fall below epsilon (measured on digits: sigmoid + N(0, 0.01) init, update ratio ~1e-6 under Adam 1e-3)
 * the update vanishes too and the rule fires, as it does for plain SGD; see docs/stopping.md.
 */
public final class VanishingGradientsRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "vanishing_gradients";

    /** Fewest layers in a record for the test to apply. */
    public static final int MIN_LAYERS = 3;

    /**
     * Settings of {@link VanishingGradientsRule}.
     *
     * @param minRatio       {@code min_ratio}: layer-0 / output-layer gradient L2 ratio below which gradients count
     *                       as vanished; default 1e-3. Measured on a 6-hidden-layer, 64-unit MLP: sigmoid with
     *                       N(0, 0.01) init gives 1e-10 (SGD) to 1e-6 (Adam, early epochs), ReLU with He init gives
     *                       0.4-2, so 1e-3 sits several orders of magnitude from both. Must be &gt; 0.
     * @param minUpdateRatio {@code min_update_ratio}: layer-0 mean ||update|| / ||weights|| below which the layer
     *                       counts as frozen; default 1e-5. The usual healthy range is about 1e-4 to 1e-2 per step
     *                       (ReLU+He measured 4e-4 to 8e-3); the sigmoid N(0, 0.01) net under SGD measured 2e-12 to
     *                       1e-9, and at 1e-5 a layer needs over 10^5 steps to change its weights by 100 %.
     *                       Must be &gt; 0.
     * @param patience       {@code patience}: consecutive epochs both conditions must hold; default 2, so a single
     *                       quiet epoch does not prune. Must be &ge; 1.
     */
    public record Settings(double minRatio, double minUpdateRatio, int patience) {

        public static final double DEFAULT_MIN_RATIO = 1e-3;
        public static final double DEFAULT_MIN_UPDATE_RATIO = 1e-5;
        public static final int DEFAULT_PATIENCE = 2;

        public Settings {
            Check.finiteAbove("min_ratio", minRatio, 0);
            Check.finiteAbove("min_update_ratio", minUpdateRatio, 0);
            Check.atLeast("patience", patience, 1);
        }

        /** The defaults: {@code min_ratio = 1e-3, min_update_ratio = 1e-5, patience = 2}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MIN_RATIO, DEFAULT_MIN_UPDATE_RATIO, DEFAULT_PATIENCE);
        }
    }

    private final Settings settings;
    private final ClassPrior prior;

    /** The rule without a class prior: the tests that judge a loss against it are skipped. */
    public VanishingGradientsRule(Settings settings) {
        this(settings, null);
    }

    /**
     * @param settings the rule's settings
     * @param prior    the dataset's class prior, or null when unknown
     */
    public VanishingGradientsRule(Settings settings, ClassPrior prior) {
        this.settings = settings;
        this.prior = prior;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Layer-0 gradient L2 norm over the output layer's (last entry). Both exactly zero (a net whose gradient is gone
     * everywhere, e.g. dead ReLUs) is a ratio of 0: nothing reaches layer 0. NaN when the output layer's gradient is
     * zero but layer 0's is not, when a norm is not finite, or under three layers.
     */
    public static double gradientRatio(EpochMetrics m) {
        List<LayerStats> layers = m.layers();
        if (layers.size() < MIN_LAYERS) {
            return Double.NaN;
        }
        double first = layers.get(0).gradL2();
        double out = layers.get(layers.size() - 1).gradL2();
        if (out == 0 && first == 0) {
            return 0;
        }
        return out > 0 ? first / out : Double.NaN;
    }

    /** Whether one record shows both vanishing conditions (false for records with fewer than three layers). */
    public boolean isVanishing(EpochMetrics m) {
        double ratio = gradientRatio(m);
        return ratio < settings.minRatio() && m.layers().get(0).updateRatio() < settings.minUpdateRatio();
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        int p = settings.patience();
        if (curve.size() < p) {
            return Decision.CONTINUE;
        }
        double maxRatio = 0;
        double maxUpdate = 0;
        for (EpochMetrics m : curve.subList(curve.size() - p, curve.size())) {
            if (!isVanishing(m)) {
                return Decision.CONTINUE;
            }
            maxRatio = Math.max(maxRatio, gradientRatio(m));
            maxUpdate = Math.max(maxUpdate, m.layers().get(0).updateRatio());
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                "layer 0 / output gradient-norm ratio " + Format.num(maxRatio) + " < " + Format.num(settings.minRatio())
                        + " and layer-0 update ratio " + Format.num(maxUpdate) + " < "
                        + Format.num(settings.minUpdateRatio()) + " for " + p + " epochs",
                Map.of("grad_ratio", maxRatio, "min_ratio", settings.minRatio(), "update_ratio", maxUpdate,
                        "min_update_ratio", settings.minUpdateRatio(), "patience", (double) p));
    }
}
