package io.gradtune.driver.search;

import io.gradtune.driver.space.SearchSpace;

import java.util.Locale;

/** Maps the config's {@code search.algorithm} name to a sampler, so callers never name implementations. */
public final class Samplers {

    private Samplers() {
    }

    /**
     * @param algorithm "grid", "random" or "bayesian" (TPE), case-insensitive
     * @throws IllegalArgumentException for any other name
     */
    public static Sampler create(String algorithm, SearchSpace space, long seed, SamplerOptions opts) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "grid" -> new GridSampler(space, opts.gridPoints());
            case "random" -> new RandomSampler(space, seed);
            case "gp" -> new GpSampler(space, seed, GpSampler.DEFAULT_STARTUP_TRIALS, opts.warmStart());
            case "bayesian", "tpe" -> new TpeSampler(space, seed, opts.startupTrials(), opts.eiCandidates(),
                    opts.warmStart());
            default -> throw new IllegalArgumentException("unknown search algorithm '" + algorithm
                    + "'; expected grid, random or bayesian");
        };
    }
}
