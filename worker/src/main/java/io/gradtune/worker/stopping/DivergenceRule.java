package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;

import java.util.List;
import java.util.Map;

/**
 * Prunes a trial whose training has numerically broken down or whose training loss has run away: nothing it
 * trains afterwards can be trusted, so every further epoch is wasted cluster time.
 *
 * <p>Checked on the newest record: a NaN or infinite training or validation loss, any layer with NaN/Inf gradient
 * entries or a non-finite gradient norm (a norm that overflowed although every entry is finite is reported as an
 * overflow, not as "0 NaN and 0 infinite entries"). From epoch 2 on, also a training loss above {@code loss_factor}
 * times the reference loss: the first epoch's training loss, or the dataset's prior loss when that is larger (with a
 * {@link ClassPrior}), so a first epoch that already reached a tiny loss does not turn noise into a "tripling".
 */
public final class DivergenceRule implements TrialRule {

    /** Rule name used in decisions and as the YAML key. */
    public static final String NAME = "divergence";

    /**
     * Settings of {@link DivergenceRule}.
     *
     * @param lossFactor {@code loss_factor}: prune when the training loss exceeds this multiple of its first-epoch
     *                   value; default 3. A healthy run's mean epoch loss rarely rises above its first epoch at all
     *                   (the first epoch's mean already includes the high initial losses), so tripling it means
     *                   the optimizer is climbing, usually from a learning rate that is too large. Must be &gt; 1.
     */
    public record Settings(double lossFactor) {

        public static final double DEFAULT_LOSS_FACTOR = 3.0;

        public Settings {
            Check.finiteAbove("loss_factor", lossFactor, 1.0);
        }

        /** The defaults: {@code loss_factor = 3}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_LOSS_FACTOR);
        }
    }

    private final Settings settings;
    private final ClassPrior prior;

    /** The rule without a class prior: the tests that judge a loss against it are skipped. */
    public DivergenceRule(Settings settings) {
        this(settings, null);
    }

    /**
     * @param settings the rule's settings
     * @param prior    the dataset's class prior, or null when unknown
     */
    public DivergenceRule(Settings settings, ClassPrior prior) {
        this.settings = settings;
        this.prior = prior;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, Objective study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int epoch = last.epoch();
        if (!Double.isFinite(last.trainLoss()) || !Double.isFinite(last.valLoss())) {
            return prune(epoch, "non-finite loss: train loss " + Format.num(last.trainLoss()) + ", validation loss "
                    + Format.num(last.valLoss()), Map.of("train_loss", last.trainLoss(), "val_loss", last.valLoss()));
        }
        for (LayerStats layer : last.layers()) {
            if (layer.gradientsObserved() && layer.nanCount() == 0 && layer.infCount() == 0
                    && !Double.isFinite(layer.gradL2())) {
                return prune(epoch, "layer " + layer.index() + " gradient norm "
                                + (Double.isInfinite(layer.gradL2()) ? "overflowed to " + Format.num(layer.gradL2())
                                + " although none of its entries is NaN or infinite (the sum of their squares exceeds "
                                + "the largest double, about 1.8e308)"
                                : "is NaN although none of its entries was counted NaN or infinite"),
                        Map.of("layer", (double) layer.index(), "nan_count", 0.0, "inf_count", 0.0,
                                "grad_l2", layer.gradL2(), "overflow", 1.0));
            }
            if (layer.nanCount() > 0 || layer.infCount() > 0) {
                return prune(epoch, "layer " + layer.index() + (layer.gradientsObserved() ? " gradient has "
                                : " averaged weights have ") + layer.nanCount() + " NaN and "
                                + layer.infCount() + " infinite entries, gradient norm " + Format.num(layer.gradL2()),
                        Map.of("layer", (double) layer.index(), "nan_count", (double) layer.nanCount(),
                                "inf_count", (double) layer.infCount(), "grad_l2", layer.gradL2()));
            }
        }
        if (curve.size() >= 2) {
            double first = curve.get(0).trainLoss();
            boolean priorRef = prior != null && prior.priorLoss() > first;
            double reference = priorRef ? prior.priorLoss() : first;
            double limit = settings.lossFactor() * reference;
            if (Double.isFinite(first) && reference > 0 && last.trainLoss() > limit) {
                return prune(epoch, "train loss " + Format.num(last.trainLoss()) + " > " + Format.num(settings.lossFactor())
                                + " x " + (priorRef ? "the prior loss " + Format.num(reference)
                                + " (larger than the first-epoch train loss " + Format.num(first) + ")"
                                : "first-epoch train loss " + Format.num(first)) + " (= " + Format.num(limit) + ")",
                        Map.of("train_loss", last.trainLoss(), "first_train_loss", first, "reference_loss", reference,
                                "loss_factor", settings.lossFactor()));
            }
        }
        return Decision.CONTINUE;
    }

    private static Decision prune(int epoch, String reason, Map<String, Double> evidence) {
        return new Decision(Decision.Action.PRUNE, NAME, epoch, reason, evidence);
    }
}
