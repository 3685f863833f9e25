package io.gradtune.worker.stopping;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.List;
import java.util.Map;

/**
 * Prunes a trial whose first layer has stopped learning, by either of two tests, each for {@code patience}
 * consecutive epochs:
 * <ul>
 *   <li><b>vanished gradient</b> (records with at least three layers): the gradient-norm ratio of layer 0 to the
 *       output layer (the last record entry) is below {@code min_ratio} AND layer 0's update/weight ratio is below
 *       {@code min_update_ratio}. Both norms exactly 0 (dead ReLUs) is a ratio of 0, not 0/0 = NaN. With a
 *       {@link ClassPrior} it also needs the validation accuracy never to have left the chance band: a net whose
 *       deeper layers learn around a frozen first layer is not pruned.</li>
 *   <li><b>nothing learns</b> (any depth; needs a {@link ClassPrior}): layer 0's update/weight ratio is below
 *       {@code stuck_update_ratio} and its gradient/weight norm ratio below {@code stuck_grad_ratio}, the training
 *       loss is still within {@code stuck_loss_margin} of the prior loss (at or above {@code (1 - stuck_loss_margin)}
 *       x the prior loss) and the validation accuracy has never left the chance band. This is the net whose whole
 *       signal is small (small-init tanh/ELU with momentum SGD): the output layer's gradient is tiny too, so the
 *       ratio never falls, although nothing learns. The gradient condition keeps a learning rate that is merely too
 *       small (a normal gradient, a tiny step) out of it: that is not a vanished gradient. A ratio of 0/0 (a zero
 *       gradient on zero weights) counts as 0: nothing moves.</li>
 * </ul>
 *
 * <p>"Layer 0" is the first layer that trains ({@link #firstTrained}): layers a fine-tuned study froze
 * ({@code model.freeze_layers}) have no gradient and no update by design and are skipped.
 *
 * <p>The update condition matters with adaptive optimizers: Adam rescales each parameter's step, so a net whose
 * first-layer gradients are small but above Adam's epsilon still moves its first layer and is left alone. When the
 * gradients fall below epsilon (measured on digits: sigmoid + N(0, 0.01) init, update ratio ~1e-6 under Adam 1e-3)
 * the update vanishes too and the rule fires, as it does for plain SGD; see docs/stopping.md.
 */
public final class VanishingGradientsRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "vanishing_gradients";

    /** Fewest layers in a record for the gradient-ratio test to apply. */
    public static final int MIN_LAYERS = 3;

    /**
     * Settings of {@link VanishingGradientsRule}.
     *
     * @param minRatio         {@code min_ratio}: layer-0 / output-layer gradient L2 ratio below which gradients
     *                         count as vanished; default 1e-3. Measured on a 6-hidden-layer, 64-unit MLP: sigmoid with
     *                         N(0, 0.01) init gives 1e-10 (SGD) to 1e-6 (Adam, early epochs), ReLU with He init gives
     *                         0.4-2, so 1e-3 sits several orders of magnitude from both. Must be &gt; 0.
     * @param minUpdateRatio   {@code min_update_ratio}: layer-0 mean ||update|| / ||weights|| below which the layer
     *                         counts as frozen in the ratio test; default 1e-5. Must be &gt; 0.
     * @param patience         {@code patience}: consecutive epochs a test must hold; default 2, so a single quiet
     *                         epoch does not prune. Must be &ge; 1.
     * @param stuckUpdateRatio {@code stuck_update_ratio}: layer-0 update ratio below which the "nothing learns" test
     *                         counts the first layer as barely moving; default 1e-4, a decade below the usual healthy
     *                         1e-4 to 1e-2 per step. Must be &gt; 0.
     * @param stuckLossMargin  {@code stuck_loss_margin}: how close to the prior loss (as a fraction of it) the
     *                         training loss must still be; default 0.05. Must be in (0, 1).
     * @param stuckGradRatio   {@code stuck_grad_ratio}: layer-0 gradient norm / weight norm below which its gradient
     *                         counts as vanished in the "nothing learns" test; default 0.05. The vanishing nets of the
     *                         calibration set had 1e-13 to 7e-3 in epochs 1-2; nets whose learning rate is merely too
     *                         small (SGD 1e-3 to 1e-5, Adam 1e-5, on digits and wine) 3 to 11. Must be &gt; 0.
     */
    public record Settings(double minRatio, double minUpdateRatio, int patience, double stuckUpdateRatio,
                           double stuckLossMargin, double stuckGradRatio) {

        public static final double DEFAULT_MIN_RATIO = 1e-3;
        public static final double DEFAULT_MIN_UPDATE_RATIO = 1e-5;
        public static final int DEFAULT_PATIENCE = 2;
        public static final double DEFAULT_STUCK_UPDATE_RATIO = 1e-4;
        public static final double DEFAULT_STUCK_LOSS_MARGIN = 0.05;
        public static final double DEFAULT_STUCK_GRAD_RATIO = 0.05;

        @JsonCreator
        public Settings {
            Check.finiteAbove("min_ratio", minRatio, 0);
            Check.finiteAbove("min_update_ratio", minUpdateRatio, 0);
            Check.atLeast("patience", patience, 1);
            Check.finiteAbove("stuck_update_ratio", stuckUpdateRatio, 0);
            Check.finiteAbove("stuck_loss_margin", stuckLossMargin, 0);
            Check.finiteBelow("stuck_loss_margin", stuckLossMargin, 1);
            Check.finiteAbove("stuck_grad_ratio", stuckGradRatio, 0);
        }

        /** {@code min_ratio}, {@code min_update_ratio} and {@code patience} as given, the "nothing learns" test at its defaults. */
        public Settings(double minRatio, double minUpdateRatio, int patience) {
            this(minRatio, minUpdateRatio, patience, DEFAULT_STUCK_UPDATE_RATIO, DEFAULT_STUCK_LOSS_MARGIN,
                    DEFAULT_STUCK_GRAD_RATIO);
        }

        /**
         * The defaults: {@code min_ratio = 1e-3, min_update_ratio = 1e-5, patience = 2, stuck_update_ratio = 1e-4,
         * stuck_loss_margin = 0.05, stuck_grad_ratio = 0.05}.
         */
        public static Settings defaults() {
            return new Settings(DEFAULT_MIN_RATIO, DEFAULT_MIN_UPDATE_RATIO, DEFAULT_PATIENCE,
                    DEFAULT_STUCK_UPDATE_RATIO, DEFAULT_STUCK_LOSS_MARGIN, DEFAULT_STUCK_GRAD_RATIO);
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
     * The position of "layer 0" for this rule: the first layer that trains. Layers fine-tuning froze
     * ({@link LayerStats#frozenLayer()}) have no gradient and no update by design, so they are skipped; without
     * frozen layers it is 0. The output layer (last) is never frozen.
     */
    public static int firstTrained(EpochMetrics m) {
        List<LayerStats> layers = m.layers();
        int i = 0;
        while (i < layers.size() - 1 && layers.get(i).frozenLayer()) {
            i++;
        }
        return i;
    }

    /**
     * Layer-0 gradient L2 norm over the output layer's (last entry). Both exactly zero (a net whose gradient is gone
     * everywhere, e.g. dead ReLUs) is a ratio of 0: nothing reaches layer 0. NaN when the output layer's gradient is
     * zero but layer 0's is not, when a norm is not finite, or under three layers.
     */
    public static double gradientRatio(EpochMetrics m) {
        List<LayerStats> layers = m.layers();
        int first0 = firstTrained(m);
        if (layers.size() - first0 < MIN_LAYERS) {
            return Double.NaN;
        }
        double first = layers.get(first0).gradL2();
        double out = layers.get(layers.size() - 1).gradL2();
        if (out == 0 && first == 0) {
            return 0;
        }
        return out > 0 ? first / out : Double.NaN;
    }

    /**
     * Layer 0's update/weight ratio, with 0/0 handled explicitly: a NaN ratio with a zero gradient (zero update on
     * zero weights) is 0, nothing moves; any other NaN stays NaN (and satisfies no "below" test).
     */
    public static double layer0UpdateRatio(EpochMetrics m) {
        if (m.layers().isEmpty()) {
            return Double.NaN;
        }
        LayerStats l0 = m.layers().get(firstTrained(m));
        return Double.isNaN(l0.updateRatio()) && l0.gradL2() == 0 ? 0 : l0.updateRatio();
    }

    /**
     * Layer 0's gradient norm over its weight norm (how far one unit of learning rate would move it), with 0/0 (a zero
     * gradient on zero weights) explicitly 0; NaN for a non-zero gradient on zero weights or a non-finite norm.
     */
    public static double layer0GradientToWeight(EpochMetrics m) {
        if (m.layers().isEmpty()) {
            return Double.NaN;
        }
        LayerStats l0 = m.layers().get(firstTrained(m));
        if (l0.gradL2() == 0 && l0.weightL2() == 0) {
            return 0;
        }
        return l0.weightL2() > 0 && Double.isFinite(l0.weightL2()) ? l0.gradL2() / l0.weightL2() : Double.NaN;
    }

    /**
     * Whether one record shows both conditions of the gradient-ratio test (false for records with fewer than three
     * layers); the chance condition is the rule's, not the record's.
     */
    public boolean isVanishing(EpochMetrics m) {
        double ratio = gradientRatio(m);
        return ratio < settings.minRatio() && layer0UpdateRatio(m) < settings.minUpdateRatio();
    }

    /** Whether one record shows the "nothing learns" conditions on its own (false without a prior). */
    private boolean isStuck(EpochMetrics m) {
        return prior != null && prior.priorLoss() > 0 && layer0UpdateRatio(m) < settings.stuckUpdateRatio()
                && layer0GradientToWeight(m) < settings.stuckGradRatio()
                && m.trainLoss() >= (1 - settings.stuckLossMargin()) * prior.priorLoss();
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        int p = settings.patience();
        if (curve.size() < p) {
            return Decision.CONTINUE;
        }
        if (prior != null && !prior.neverLeftChance(curve)) {
            return Decision.CONTINUE;
        }
        List<EpochMetrics> tail = curve.subList(curve.size() - p, curve.size());
        EpochMetrics last = curve.get(curve.size() - 1);
        if (tail.stream().allMatch(this::isVanishing)) {
            double maxRatio = 0;
            double maxUpdate = 0;
            for (EpochMetrics m : tail) {
                maxRatio = Math.max(maxRatio, gradientRatio(m));
                maxUpdate = Math.max(maxUpdate, layer0UpdateRatio(m));
            }
            return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                    "layer 0 / output gradient-norm ratio " + Format.num(maxRatio) + " < " + Format.num(settings.minRatio())
                            + " and layer-0 update ratio " + Format.num(maxUpdate) + " < "
                            + Format.num(settings.minUpdateRatio()) + " for " + p + " epochs",
                    Map.of("grad_ratio", maxRatio, "min_ratio", settings.minRatio(), "update_ratio", maxUpdate,
                            "min_update_ratio", settings.minUpdateRatio(), "patience", (double) p));
        }
        if (tail.stream().allMatch(this::isStuck)) {
            double maxUpdate = 0;
            double maxGrad = 0;
            double minLoss = Double.POSITIVE_INFINITY;
            for (EpochMetrics m : tail) {
                maxUpdate = Math.max(maxUpdate, layer0UpdateRatio(m));
                maxGrad = Math.max(maxGrad, layer0GradientToWeight(m));
                minLoss = Math.min(minLoss, m.trainLoss());
            }
            double lossBound = (1 - settings.stuckLossMargin()) * prior.priorLoss();
            double best = prior.bestScore(curve);
            return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                    "nothing learns: layer-0 update ratio " + Format.num(maxUpdate) + " < stuck_update_ratio "
                            + Format.num(settings.stuckUpdateRatio()) + ", layer-0 gradient/weight norm ratio "
                            + Format.num(maxGrad) + " < stuck_grad_ratio " + Format.num(settings.stuckGradRatio())
                            + " and train loss " + Format.num(minLoss)
                            + " still >= " + Format.num(1 - settings.stuckLossMargin()) + " x the prior loss "
                            + Format.num(prior.priorLoss()) + " (= " + Format.num(lossBound) + ") for " + p
                            + " epochs, best " + prior.scoreLabel() + " " + Format.num(best) + " within chance (<= "
                            + Format.num(prior.band()) + ")",
                    Map.of("update_ratio", maxUpdate, "stuck_update_ratio", settings.stuckUpdateRatio(),
                            "grad_weight_ratio", maxGrad, "stuck_grad_ratio", settings.stuckGradRatio(),
                            "train_loss", minLoss, "prior_loss", prior.priorLoss(), "loss_bound", lossBound,
                            "best_" + prior.scoreName(), Double.isNaN(best) ? 0 : best, "chance_band", prior.band(),
                            "patience", (double) p));
        }
        return Decision.CONTINUE;
    }
}
