package io.gradtune.driver.search;

import java.util.List;

/**
 * The tuning knobs of the built-in samplers, in one immutable value so the config layer can pass them
 * through without knowing which sampler uses which.
 *
 * @param gridPoints    values per float or int range in a grid (at least 2)
 * @param startupTrials random trials before a model-based sampler (GP or TPE) starts modelling
 * @param eiCandidates  candidates TPE draws per parameter (the GP sampler ignores it)
 * @param warmStart     observations of an earlier run that GP and TPE treat as history (grid and random ignore
 *                      them)
 * @param prior         prior knowledge of where the built-in network is pathological, used by the GP sampler's
 *                      feasibility model ({@code search.prior: tutorials}), or null for none (TPE, grid and random
 *                      ignore it)
 * @param oneAtATime    the grid's design: false for the full grid (every combination), true for one factor at a
 *                      time ({@code search.design: one_at_a_time}, {@link OneAtATimeSampler}); the others ignore it
 * @param costAware     the GP sampler ranks candidates by expected improvement per second of an epoch, the cost
 *                      learned from the study's trials ({@link CostModel}, {@code search.cost_aware}); the others
 *                      ignore it
 * @param trialBudget   the study's trial budget ({@code search.max_trials}), over which the cost-aware GP sampler
 *                      cools the cost's weight from 1 to 0 ({@link GpSampler}); 0 when unknown (full weight
 *                      throughout)
 */
public record SamplerOptions(int gridPoints, int startupTrials, int eiCandidates, List<Observation> warmStart,
                             PathologyPrior prior, boolean oneAtATime, boolean costAware, int trialBudget) {

    public SamplerOptions {
        warmStart = List.copyOf(warmStart);
        if (trialBudget < 0) {
            throw new IllegalArgumentException("trialBudget must be >= 0, was " + trialBudget);
        }
    }

    /** Options without a known trial budget. */
    public SamplerOptions(int gridPoints, int startupTrials, int eiCandidates, List<Observation> warmStart,
                          PathologyPrior prior, boolean oneAtATime, boolean costAware) {
        this(gridPoints, startupTrials, eiCandidates, warmStart, prior, oneAtATime, costAware, 0);
    }

    /** The same options with the study's trial budget (0: unknown). */
    public SamplerOptions withTrialBudget(int budget) {
        return new SamplerOptions(gridPoints, startupTrials, eiCandidates, warmStart, prior, oneAtATime, costAware,
                budget);
    }

    /** Options with cost-aware GP search ({@code search.cost_aware}'s default). */
    public SamplerOptions(int gridPoints, int startupTrials, int eiCandidates, List<Observation> warmStart,
                          PathologyPrior prior, boolean oneAtATime) {
        this(gridPoints, startupTrials, eiCandidates, warmStart, prior, oneAtATime, true);
    }

    /** The same options with the GP sampler's cost-aware acquisition on or off. */
    public SamplerOptions withCostAware(boolean on) {
        return new SamplerOptions(gridPoints, startupTrials, eiCandidates, warmStart, prior, oneAtATime, on,
                trialBudget);
    }

    /** Options with the full grid. */
    public SamplerOptions(int gridPoints, int startupTrials, int eiCandidates, List<Observation> warmStart,
                          PathologyPrior prior) {
        this(gridPoints, startupTrials, eiCandidates, warmStart, prior, false);
    }

    /** The same options with the grid's one-factor-at-a-time design on or off. */
    public SamplerOptions withOneAtATime(boolean on) {
        return new SamplerOptions(gridPoints, startupTrials, eiCandidates, warmStart, prior, on, costAware,
                trialBudget);
    }

    /** Options without a prior. */
    public SamplerOptions(int gridPoints, int startupTrials, int eiCandidates, List<Observation> warmStart) {
        this(gridPoints, startupTrials, eiCandidates, warmStart, null);
    }

    /**
     * 5 grid points, 10 startup trials (Optuna's TPE default, and the best of 3, 5, 8, 10 and 12 for the GP
     * sampler on Hartmann6, see BENCHMARKS.md), 24 TPE candidates, no warm start.
     */
    public static SamplerOptions defaults() {
        return new SamplerOptions(5, TpeSampler.DEFAULT_STARTUP_TRIALS, TpeSampler.DEFAULT_EI_CANDIDATES,
                List.of());
    }

    /** The same options with a warm start. */
    public SamplerOptions withWarmStart(List<Observation> observations) {
        return new SamplerOptions(gridPoints, startupTrials, eiCandidates, observations, prior, oneAtATime,
                costAware, trialBudget);
    }

    /** The same options with a pathology prior (null for none). */
    public SamplerOptions withPrior(PathologyPrior p) {
        return new SamplerOptions(gridPoints, startupTrials, eiCandidates, warmStart, p, oneAtATime, costAware,
                trialBudget);
    }
}
