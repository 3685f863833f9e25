package io.gradtune.driver.rules;

import io.gradtune.driver.stopping.SortedDoubles;
import io.gradtune.driver.stopping.StoppingRule;
import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.Format;
import io.gradtune.worker.stopping.Objectives;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A comparative rule written outside {@code io.gradtune.driver.stopping}, with nothing but its public API: after any
 * epoch {@code t}, prune a trial whose objective at {@code t} is worse than the {@code quantile} percentile of the
 * other trials' objectives at {@code t} (by default: in the bottom quarter, below the 25th percentile when maximizing,
 * above the 75th when minimizing). Percentiles interpolate linearly between order statistics, as numpy's default does.
 *
 * <p>It exists to prove that such a rule can live anywhere: {@code StoppingRuleContractTest} runs it with the built-in
 * rules, and {@code BottomQuantileRuleTest} checks its decisions.
 */
public final class BottomQuantileRule implements StoppingRule {

    public static final String NAME = "bottom_quantile";

    private final double quantile;
    private final int minTrials;

    /**
     * @param quantile  the share of the other trials a trial must not fall behind, in (0, 1); 0.25 = bottom quarter
     * @param minTrials fewest other trials at the epoch before anything is pruned (at least 1)
     */
    public BottomQuantileRule(double quantile, int minTrials) {
        if (!(quantile > 0 && quantile < 1) || minTrials < 1) {
            throw new IllegalArgumentException("needs 0 < quantile < 1 and minTrials >= 1, got " + quantile + " and "
                    + minTrials);
        }
        this.quantile = quantile;
        this.minTrials = minTrials;
    }

    /** The bottom quarter, judged once at least 4 other trials reached the epoch. */
    public static BottomQuantileRule defaults() {
        return new BottomQuantileRule(0.25, 4);
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, StudyCurves study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int t = last.epoch();
        // the others' values at t: the study's index without this trial's own entry, if it holds one
        SortedDoubles all = study.valuesAt(t);
        OptionalDouble own = study.valueAt(last.trialId(), t);
        int others = all.size() - (own.isPresent() ? 1 : 0);
        if (others < minTrials) {
            return Decision.CONTINUE;
        }
        // ascending order: the bad end is the low end when maximizing, the high end when minimizing
        double position = (study.maximize() ? quantile : 1 - quantile) * (others - 1);
        int below = (int) Math.floor(position);
        double low = all.select(below, own, OptionalDouble.empty());
        double high = below + 1 < others ? all.select(below + 1, own, OptionalDouble.empty()) : low;
        double fraction = position - below;
        // a diverged trial's value is infinite (the worst); interpolating towards it would give NaN or infinity
        double cutoff = Double.isFinite(high - low) ? low + fraction * (high - low) : fraction < 0.5 ? low : high;
        double value = Objectives.value(last, study);
        if (Objectives.better(cutoff, value, study)) {
            return new Decision(Decision.Action.PRUNE, NAME, t,
                    study.objectiveMetric() + " " + Format.num(value) + " at epoch " + t + " is worse than "
                            + Format.num(cutoff) + ", the " + Format.num(100 * quantile) + "% cutoff of " + others
                            + " other trials",
                    Map.of("value", value, "cutoff", cutoff, "trials", (double) others, "quantile", quantile));
        }
        return Decision.CONTINUE;
    }
}
