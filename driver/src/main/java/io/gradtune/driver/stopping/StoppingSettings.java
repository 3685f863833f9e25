package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.ClassPrior;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.TrialRule;
import io.gradtune.worker.stopping.TrialStopping;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Every stopping rule's settings in one place, as the study config's {@code early_stopping} section holds them; a
 * null entry disables that rule. The config reader ({@code StudyConfigLoader}, through its {@code ConfigNode}) reads
 * the YAML section; each rule's {@code Settings} constructor checks ranges ({@link InvalidSettingException});
 * {@link #toPolicy} builds the policy.
 *
 * @param divergence         {@link DivergenceRule} settings or null
 * @param explodingGradients {@link ExplodingGradientsRule} settings or null
 * @param vanishingGradients {@link VanishingGradientsRule} settings or null
 * @param plateau            {@link PlateauRule} settings or null
 * @param median             {@link MedianStoppingRule} settings or null
 * @param asha               {@link AshaRule} settings or null
 */
public record StoppingSettings(
        DivergenceRule.Settings divergence,
        ExplodingGradientsRule.Settings explodingGradients,
        VanishingGradientsRule.Settings vanishingGradients,
        PlateauRule.Settings plateau,
        MedianStoppingRule.Settings median,
        AshaRule.Settings asha) {

    /** The YAML section name. */
    public static final String SECTION = "early_stopping";

    /** The rule keys of the YAML section, in policy order. */
    public static final List<String> RULES = List.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME,
            VanishingGradientsRule.NAME, PlateauRule.NAME, MedianStoppingRule.NAME, AshaRule.NAME);

    /** Every rule at its defaults except median, which is off: ASHA already provides the comparative pruning. */
    public static StoppingSettings defaults() {
        return new StoppingSettings(DivergenceRule.Settings.defaults(), ExplodingGradientsRule.Settings.defaults(),
                VanishingGradientsRule.Settings.defaults(), PlateauRule.Settings.defaults(), null,
                AshaRule.Settings.defaults());
    }

    /** Every rule disabled. */
    public static StoppingSettings none() {
        return new StoppingSettings(null, null, null, null, null, null);
    }

    /**
     * The policy of the enabled rules, in the order divergence, exploding_gradients, vanishing_gradients, plateau,
     * median, asha.
     *
     * @param maxEpochs the epochs a trial trains at most (ASHA's R)
     */
    public StoppingPolicy toPolicy(int maxEpochs) {
        return toPolicy(maxEpochs, null);
    }

    /**
     * The policy of the enabled rules, as {@link #toPolicy(int)}, whose per-trial rules judge losses against the
     * dataset's class prior, as the worker's do ({@link #perTrial(String, boolean, ClassPrior)}).
     *
     * @param maxEpochs the epochs a trial trains at most (ASHA's R)
     * @param prior     the validation split's class prior ({@code ChanceLevel.prior()}), or null when unknown
     */
    public StoppingPolicy toPolicy(int maxEpochs, ClassPrior prior) {
        List<StoppingRule> rules = new ArrayList<>();
        for (TrialRule rule : perTrial("val_accuracy", true, prior).rules()) {
            rules.add(StoppingRule.of(rule));
        }
        if (median != null) {
            rules.add(new MedianStoppingRule(median));
        }
        if (asha != null) {
            rules.add(new AshaRule(asha, maxEpochs));
        }
        return new StoppingPolicy(rules);
    }

    /**
     * The per-trial rules (divergence, exploding and vanishing gradients, plateau) with the study's objective, as the
     * worker applies them to its own trial: they come first in the policy's order, so a stop the worker decides at an
     * epoch is the stop the driver's policy decides at that epoch unless a comparative rule prunes it there.
     */
    public TrialStopping perTrial(String objectiveMetric, boolean maximize) {
        return perTrial(objectiveMetric, maximize, null);
    }

    /**
     * The per-trial rules as {@link #perTrial(String, boolean)}, with the dataset's class prior (classes, prior loss,
     * majority rate) that the scale-free tests judge losses against; the driver builds every trial's spec with it.
     *
     * @param prior the validation split's class prior ({@code ChanceLevel.prior()}), or null when unknown (those
     *              tests are then skipped)
     */
    public TrialStopping perTrial(String objectiveMetric, boolean maximize, ClassPrior prior) {
        return new TrialStopping(objectiveMetric, maximize, divergence, explodingGradients, vanishingGradients,
                plateau, prior);
    }
}
