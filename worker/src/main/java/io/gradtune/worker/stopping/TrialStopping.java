package io.gradtune.worker.stopping;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.ProtocolCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The study's per-trial stopping rules and objective, as the driver sends them to the worker inside each trial's
 * spec, so the worker stops its trial the moment an epoch ends instead of training on while the record travels to
 * the driver and the driver's cancel travels back. The driver applies the same rules to the same records and
 * records the decision; the comparative rules (median, ASHA) stay with the driver.
 *
 * @param objectiveMetric    the study's objective metric ({@link Objective#METRICS})
 * @param maximize           the objective's direction
 * @param divergence         {@link DivergenceRule} settings, or null when the rule is off
 * @param explodingGradients {@link ExplodingGradientsRule} settings, or null
 * @param vanishingGradients {@link VanishingGradientsRule} settings, or null
 * @param plateau            {@link PlateauRule} settings, or null
 * @param prior              the dataset's class prior (classes, prior loss, majority rate) the rules judge losses
 *                           against, or null when unknown: the tests that need it are then skipped
 */
public record TrialStopping(
        String objectiveMetric,
        boolean maximize,
        DivergenceRule.Settings divergence,
        ExplodingGradientsRule.Settings explodingGradients,
        VanishingGradientsRule.Settings vanishingGradients,
        PlateauRule.Settings plateau,
        ClassPrior prior) implements Objective {

    /** The names of the rules a worker applies itself. */
    public static final java.util.Set<String> RULES = java.util.Set.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME,
            VanishingGradientsRule.NAME, PlateauRule.NAME);

    @JsonCreator
    public TrialStopping {
        if (!METRICS.contains(objectiveMetric)) {
            throw new IllegalArgumentException("unknown objective metric " + objectiveMetric + "; expected one of "
                    + METRICS);
        }
    }

    /** The rules without a class prior: the tests that judge a loss against it are skipped. */
    public TrialStopping(String objectiveMetric, boolean maximize, DivergenceRule.Settings divergence,
                         ExplodingGradientsRule.Settings explodingGradients,
                         VanishingGradientsRule.Settings vanishingGradients, PlateauRule.Settings plateau) {
        this(objectiveMetric, maximize, divergence, explodingGradients, vanishingGradients, plateau, null);
    }

    /** The enabled rules in policy order: divergence, exploding_gradients, vanishing_gradients, plateau. */
    public List<TrialRule> rules() {
        List<TrialRule> rules = new ArrayList<>(4);
        if (divergence != null) {
            rules.add(new DivergenceRule(divergence, prior));
        }
        if (explodingGradients != null) {
            rules.add(new ExplodingGradientsRule(explodingGradients, prior));
        }
        if (vanishingGradients != null) {
            rules.add(new VanishingGradientsRule(vanishingGradients, prior));
        }
        if (plateau != null) {
            rules.add(new PlateauRule(plateau));
        }
        return rules;
    }

    /** The plain values {@code TrialSpec.stopping} carries (this record as Jackson writes it). */
    public Map<String, Object> toSpec() {
        return ProtocolCodec.mapper().convertValue(this, new TypeReference<Map<String, Object>>() { });
    }

    /**
     * The rules a spec carries ({@link #toSpec}), or null when it carries none.
     *
     * @throws IllegalArgumentException when the values are not a valid set of rules (the message names the field)
     */
    public static TrialStopping fromSpec(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            return ProtocolCodec.mapper().convertValue(values, TrialStopping.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid stopping rules in the trial spec: " + e.getMessage(), e);
        }
    }

    /** The rules' combined decision on the curve ({@link Decision#combine}). */
    public Decision evaluate(List<EpochMetrics> curve) {
        return Decision.combine(rules(), r -> r.evaluate(curve, this));
    }
}
