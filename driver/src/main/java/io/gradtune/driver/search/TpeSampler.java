package io.gradtune.driver.search;

import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), following Optuna's TPESampler: after a few random
 * trials, each parameter draws candidates from a density fitted to the good trials and keeps the one most
 * unlike the bad trials. It handles categorical and conditional parameters natively and costs O(n) per
 * proposal; it is the {@code tpe} algorithm ({@code bayesian} is {@link GpSampler}, which needs far fewer
 * trials on the benchmark functions, see docs/search.md). INFEASIBLE trials are always bad, which steers
 * the search away from diverging regions; pending trials count as bad ("constant liar") so parallel slots
 * spread out, and a proposal equal to a pending or finished one is redrawn.
 *
 * <p>Repeats (see {@link Sampler}): avoided. A proposal equal to a finished (warm start included) or pending
 * assignment is redrawn from the model up to 32 times, then from the prior up to 32 times; only if every draw is
 * taken (a nearly exhausted discrete space) is the last one proposed although it repeats. Never empty.
 */
public final class TpeSampler implements Sampler {

    /** Random trials before TPE takes over (Optuna's default). */
    public static final int DEFAULT_STARTUP_TRIALS = 10;
    /** Candidates drawn per parameter (Optuna's default). */
    public static final int DEFAULT_EI_CANDIDATES = 24;

    private static final int MAX_DRAWS = ProposalContext.MAX_DRAWS;

    private final SearchSpace space;
    private final SplittableRandom random;
    private final int startupTrials;
    private final int eiCandidates;
    private final List<Observation> warmStart;

    public TpeSampler(SearchSpace space, long seed) {
        this(space, seed, DEFAULT_STARTUP_TRIALS, DEFAULT_EI_CANDIDATES, List.of());
    }

    /**
     * @param startupTrials random proposals until this many non-FAILED trials are known (warm start included)
     * @param eiCandidates  candidates drawn from l(x) per parameter
     * @param warmStart     observations from an earlier run, treated as if they came first in every history
     */
    public TpeSampler(SearchSpace space, long seed, int startupTrials, int eiCandidates,
                      List<Observation> warmStart) {
        if (startupTrials < 0 || eiCandidates < 1) {
            throw new IllegalArgumentException("needs startupTrials >= 0 and eiCandidates >= 1, got "
                    + startupTrials + " and " + eiCandidates);
        }
        this.space = space;
        this.random = new SplittableRandom(seed);
        this.startupTrials = startupTrials;
        this.eiCandidates = eiCandidates;
        this.warmStart = List.copyOf(warmStart);
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        ProposalContext context = ProposalContext.of(warmStart, history);
        List<Observation> finished = context.finished();
        Set<AssignmentKey> taken = context.taken();

        int usable = context.usable();
        if (usable >= startupTrials) {
            GoodBadSplit split = GoodBadSplit.of(finished, history.pending());
            List<Parameter> joint = space.searched().stream().filter(TpeJointGroup::covers).toList();
            TpeJointGroup group = joint.isEmpty() ? null : TpeJointGroup.fit(joint, split);
            Map<String, TpeDimension> dimensions = new HashMap<>();
            for (Parameter p : space.searched()) {
                if (!TpeJointGroup.covers(p)) {
                    dimensions.put(p.name(), TpeDimension.fit(p, split));
                }
            }
            for (int i = 0; i < MAX_DRAWS; i++) {
                Map<String, Object> jointValues = group == null ? Map.of() : group.choose(random, eiCandidates);
                Map<String, Object> proposal = space.assign(p -> jointValues.containsKey(p.name())
                        ? jointValues.get(p.name()) : dimensions.get(p.name()).choose(random, eiCandidates));
                if (!taken.contains(AssignmentKey.of(proposal))) {
                    return Optional.of(proposal);
                }
            }
        }
        return Optional.of(context.randomAvoidingTaken(space, random));
    }
}
