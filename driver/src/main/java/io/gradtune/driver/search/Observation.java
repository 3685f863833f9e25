package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;

import java.util.Map;

/**
 * A finished trial as a sampler sees it.
 *
 * @param params    the trial's assignment
 * @param value     objective in minimization form (maximized metrics are negated); NaN when there is none
 * @param kind      how the trial ended, from the sampler's point of view
 * @param diagnosis the primary kind of the trial's diagnosis, or null when it has none (no epoch arrived, or a trial
 *                  from outside the study such as a warm start); read by {@link RepairingSampler}
 * @param secondsPerEpoch what one epoch of the trial cost, wall seconds (the median of its epochs' times), or NaN when
 *                  unknown (no epoch arrived, a warm start, a synthetic trial); read by {@link CostModel} for the
 *                  bayesian sampler's cost-aware acquisition ({@code search.cost_aware})
 */
public record Observation(Map<String, Object> params, double value, Kind kind, DiagnosisKind diagnosis,
                          double secondsPerEpoch) {

    /**
     * What a finished trial tells a sampler. {@code COMPLETED} and {@code FAILED} mean what the trial states of the
     * same name mean; the driver's {@code PRUNED} state splits in two here, by the rule that stopped the trial.
     */
    public enum Kind {
        /** Ran to the end (or stopped on a plateau): its value is trustworthy. */
        COMPLETED,
        /** Stopped early by a comparative rule (median, ASHA): its value is pessimistic but informative. */
        PRUNED,
        /** Diverged or had vanishing/exploding gradients: a region to avoid. */
        INFEASIBLE,
        /** Crashed: says nothing about the objective. */
        FAILED
    }

    public Observation {
        params = Map.copyOf(params);
    }

    /** A finished trial without a diagnosis. */
    public Observation(Map<String, Object> params, double value, Kind kind) {
        this(params, value, kind, null);
    }

    /** A finished trial whose cost is unknown. */
    public Observation(Map<String, Object> params, double value, Kind kind, DiagnosisKind diagnosis) {
        this(params, value, kind, diagnosis, Double.NaN);
    }

    /** Whether the trial's cost per epoch is known: finite and positive. */
    public boolean hasCost() {
        return Double.isFinite(secondsPerEpoch) && secondsPerEpoch > 0;
    }
}
