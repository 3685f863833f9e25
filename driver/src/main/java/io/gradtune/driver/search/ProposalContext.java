package io.gradtune.driver.search;

import io.gradtune.driver.space.SearchSpace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a model-based sampler (GP or TPE) derives from a history before it proposes: the finished trials with
 * the warm start prepended, the assignments already taken (finished or pending, which must not be proposed
 * again), and how many finished trials carry information (all but FAILED).
 *
 * @param finished warm-start observations followed by the history's finished trials
 * @param taken    keys of every finished and pending assignment
 * @param usable   finished trials that are not FAILED
 */
record ProposalContext(List<Observation> finished, Set<AssignmentKey> taken, int usable) {

    /** Prior draws tried before giving up on finding an untaken one. */
    static final int MAX_DRAWS = 32;

    static ProposalContext of(List<Observation> warmStart, SearchHistory history) {
        List<Observation> finished = new ArrayList<>(warmStart);
        finished.addAll(history.finished());
        Set<AssignmentKey> taken = new HashSet<>();
        finished.forEach(o -> taken.add(AssignmentKey.of(o.params())));
        history.pending().forEach(p -> taken.add(AssignmentKey.of(p)));
        int usable = (int) finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).count();
        return new ProposalContext(finished, taken, usable);
    }

    /** A prior draw that is not already taken, or the last draw when the space seems exhausted. */
    Map<String, Object> randomAvoidingTaken(SearchSpace space, SplittableRandom random) {
        Map<String, Object> proposal = space.assign(p -> RandomSampler.draw(p, random));
        for (int i = 1; i < MAX_DRAWS && taken.contains(AssignmentKey.of(proposal)); i++) {
            proposal = space.assign(p -> RandomSampler.draw(p, random));
        }
        return proposal;
    }
}
