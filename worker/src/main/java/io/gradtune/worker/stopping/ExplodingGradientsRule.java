package io.gradtune.worker.stopping;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.List;
import java.util.Map;

/**
 * Prunes a trial whose gradients are exploding, on scale-free evidence (no threshold depends on the dataset, the
 * input scale or the architecture):
 * <ul>
 *   <li><b>blown up at chance</b> (with a {@link ClassPrior}): an epoch whose training loss is above
 *       {@code blowup_loss} x ln K (worse than a uniform guess by that factor) while some layer's update/weight ratio
 *       is at least {@code blowup_update_ratio} (the steps move the weights by a large fraction of their size), and
 *       one epoch later the validation accuracy has still never left the chance band (majority rate plus a tenth of
 *       the headroom). This is the loss that blows up inside epoch 1 and then saturates or dies: epoch 1's mean
 *       loss already holds the blow-up, so comparing with it (as {@link DivergenceRule} does) never fires. A net
 *       that blows up and then learns (unscaled inputs, RMSprop at a high rate) leaves the chance band by the next
 *       epoch and is left alone;</li>
 *   <li><b>growth</b>: the largest layer gradient norm has grown by a factor of at least {@code growth} in each of the
 *       last {@code patience} epochs (geometric growth, the signature of an unstable learning rate);</li>
 *   <li><b>absolute norm</b>, only when {@code max_norm} is set (off by default): a layer's mean gradient norm above
 *       it. Norms scale with the inputs and the width: unscaled 0-255 inputs give 1e3-1e9 on nets that learn, so no
 *       fixed limit separates exploding from healthy on every dataset.</li>
 * </ul>
 */
public final class ExplodingGradientsRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "exploding_gradients";

    /**
     * Settings of {@link ExplodingGradientsRule}.
     *
     * @param maxNorm           {@code max_norm}: prune when any layer's mean gradient L2 norm exceeds it; null (the
     *                          default) leaves the absolute test off. Must be &gt; 0 when set.
     * @param growth            {@code growth}: per-epoch growth factor of the largest layer norm counted as
     *                          exploding; default 2 (a doubling each epoch). Must be &gt; 1.
     * @param patience          {@code patience}: consecutive epochs of such growth before pruning; default 3, i.e. an
     *                          eight-fold rise over three epochs, which one noisy epoch cannot produce. Must be &ge; 1.
     * @param blowupLoss        {@code blowup_loss}: a training loss above this multiple of ln K counts as blown up;
     *                          default 2 (the calibration labels' "above 2 ln K"). A fresh net starts near ln K and a
     *                          learning one goes below it. Must be &gt; 1.
     * @param blowupUpdateRatio {@code blowup_update_ratio}: the largest layer update/weight ratio of the blown-up epoch
     *                          must be at least this; default 0.05 (healthy steps are about 1e-4 to 1e-2 of the
     *                          weights). Must be &gt; 0.
     */
    public record Settings(Double maxNorm, double growth, int patience, double blowupLoss, double blowupUpdateRatio) {

        /** No absolute limit by default: {@code max_norm} is opt-in. */
        public static final Double DEFAULT_MAX_NORM = null;
        public static final double DEFAULT_GROWTH = 2.0;
        public static final int DEFAULT_PATIENCE = 3;
        public static final double DEFAULT_BLOWUP_LOSS = 2.0;
        public static final double DEFAULT_BLOWUP_UPDATE_RATIO = 0.05;

        @JsonCreator
        public Settings {
            if (maxNorm != null) {
                Check.finiteAbove("max_norm", maxNorm, 0);
            }
            Check.finiteAbove("growth", growth, 1.0);
            Check.atLeast("patience", patience, 1);
            Check.finiteAbove("blowup_loss", blowupLoss, 1.0);
            Check.finiteAbove("blowup_update_ratio", blowupUpdateRatio, 0);
        }

        /** {@code max_norm}, {@code growth} and {@code patience} as given, the blow-up test at its defaults. */
        public Settings(Double maxNorm, double growth, int patience) {
            this(maxNorm, growth, patience, DEFAULT_BLOWUP_LOSS, DEFAULT_BLOWUP_UPDATE_RATIO);
        }

        /**
         * The defaults: no {@code max_norm}, {@code growth = 2, patience = 3, blowup_loss = 2,
         * blowup_update_ratio = 0.05}.
         */
        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_NORM, DEFAULT_GROWTH, DEFAULT_PATIENCE, DEFAULT_BLOWUP_LOSS,
                    DEFAULT_BLOWUP_UPDATE_RATIO);
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

    /**
     * The largest layer gradient L2 norm of a record (NaN if any is NaN), 0 for a record without layers; NaN for a
     * data-parallel trial's record, whose gradients are not observed ({@link LayerStats#gradientsObserved()}), so
     * the growth test never fires on it.
     */
    public static double maxGradL2(EpochMetrics m) {
        double max = 0;
        for (LayerStats layer : m.layers()) {
            if (!layer.gradientsObserved() || Double.isNaN(layer.gradL2())) {
                return Double.NaN;
            }
            max = Math.max(max, layer.gradL2());
        }
        return max;
    }

    /** The largest finite layer update/weight ratio of a record, 0 when none is finite. */
    public static double maxUpdateRatio(EpochMetrics m) {
        double max = 0;
        for (LayerStats layer : m.layers()) {
            if (Double.isFinite(layer.updateRatio())) {
                max = Math.max(max, layer.updateRatio());
            }
        }
        return max;
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        Decision blowup = blownUpAtChance(curve);
        if (blowup != null) {
            return blowup;
        }
        for (LayerStats layer : settings.maxNorm() == null ? List.<LayerStats>of() : last.layers()) {
            if (layer.gradientsObserved() && layer.gradL2() > settings.maxNorm()) {
                return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                        "layer " + layer.index() + " gradient norm " + Format.num(layer.gradL2()) + " > max_norm "
                                + Format.num(settings.maxNorm()),
                        Map.of("layer", (double) layer.index(), "grad_l2", layer.gradL2(),
                                "max_norm", settings.maxNorm()));
            }
        }
        return growth(curve, last);
    }

    /** The blow-up test: null when it does not fire (or no prior is known). */
    private Decision blownUpAtChance(List<EpochMetrics> curve) {
        if (prior == null || (prior.classes() < 2 && !prior.regression()) || curve.size() < 2) {
            return null;
        }
        double lossBound = settings.blowupLoss() * prior.uninformedLoss();
        EpochMetrics blown = null;
        for (EpochMetrics m : curve.subList(0, curve.size() - 1)) {
            if (m.trainLoss() > lossBound && maxUpdateRatio(m) >= settings.blowupUpdateRatio()) {
                blown = m;
                break;
            }
        }
        if (blown == null || !prior.neverLeftChance(curve)) {
            return null;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        double best = prior.bestScore(curve);
        double update = maxUpdateRatio(blown);
        return new Decision(Decision.Action.PRUNE, NAME, last.epoch(),
                "train loss " + Format.num(blown.trainLoss()) + " at epoch " + blown.epoch() + " > blowup_loss "
                        + Format.num(settings.blowupLoss()) + " x " + prior.uninformedLossName() + " (= " + Format.num(lossBound)
                        + ") with a layer update/weight ratio of " + Format.num(update) + " >= blowup_update_ratio "
                        + Format.num(settings.blowupUpdateRatio()) + ", and the best " + prior.scoreLabel() + " "
                        + Format.num(best) + " has not left chance (<= " + Format.num(prior.band()) + ") by epoch "
                        + last.epoch(),
                Map.of("blowup_epoch", (double) blown.epoch(), "train_loss", blown.trainLoss(), "loss_bound", lossBound,
                        "update_ratio", update, "blowup_update_ratio", settings.blowupUpdateRatio(),
                        "best_" + prior.scoreName(), Double.isNaN(best) ? 0 : best, "chance_band", prior.band()));
    }

    private Decision growth(List<EpochMetrics> curve, EpochMetrics last) {
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
