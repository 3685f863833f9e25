package io.gradtune.driver.search;

import io.gradtune.driver.space.SearchSpace;

import java.util.Locale;

/**
 * Maps the config's {@code search.algorithm} name to a sampler, so callers never name implementations. The
 * config's {@code bayesian} is the user-facing alias of {@code gp}: a Gaussian-process model with expected
 * improvement ({@link GpSampler}); the code calls it by what it is.
 */
public final class Samplers {

    /** The config's friendly name for {@code gp}. */
    public static final String BAYESIAN_ALIAS = "bayesian";

    private Samplers() {
    }

    /**
     * @param algorithm "grid", "random", "bayesian" (= "gp", Gaussian-process expected improvement) or "tpe"
     *                  (Tree-structured Parzen Estimator), case-insensitive
     * @throws IllegalArgumentException for any other name
     */
    public static Sampler create(String algorithm, SearchSpace space, long seed, SamplerOptions opts) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "grid" -> opts.oneAtATime() ? new OneAtATimeSampler(space, opts.gridPoints())
                    : new GridSampler(space, opts.gridPoints());
            case "random" -> new RandomSampler(space, seed);
            case BAYESIAN_ALIAS, "gp" -> new GpSampler(space, seed, opts.startupTrials(), opts.warmStart(),
                    opts.prior(), opts.costAware(), opts.trialBudget());
            case "tpe" -> new TpeSampler(space, seed, opts.startupTrials(), opts.eiCandidates(),
                    opts.warmStart());
            default -> throw new IllegalArgumentException("unknown search algorithm '" + algorithm
                    + "'; expected grid, random, bayesian, gp or tpe");
        };
    }
}
