package io.gradtune.driver.search;

import io.gradtune.driver.space.SearchSpace;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
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
        return of(warmStart, history, new FinishedKeys());
    }

    /**
     * As {@link #of(List, SearchHistory)}, the finished assignments' keys taken from {@code keys}, which keeps them
     * across a sampler's proposals; {@link #taken} is then a view of those keys and the pending ones.
     */
    static ProposalContext of(List<Observation> warmStart, SearchHistory history, FinishedKeys keys) {
        List<Observation> finished = new ArrayList<>(warmStart);
        finished.addAll(history.finished());
        Set<AssignmentKey> finishedKeys = keys.of(finished);
        Set<AssignmentKey> pendingKeys = new HashSet<>();
        history.pending().forEach(p -> pendingKeys.add(AssignmentKey.of(p)));
        int usable = (int) finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).count();
        return new ProposalContext(finished, new Union(finishedKeys, pendingKeys), usable);
    }

    /** Two sets seen as one, read-only; {@link #contains} is all the samplers ask of it. */
    private static final class Union extends AbstractSet<AssignmentKey> {
        private final Set<AssignmentKey> a;
        private final Set<AssignmentKey> b;

        Union(Set<AssignmentKey> a, Set<AssignmentKey> b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public boolean contains(Object o) {
            return a.contains(o) || b.contains(o);
        }

        @Override
        public Iterator<AssignmentKey> iterator() {
            List<AssignmentKey> all = new ArrayList<>(a);
            b.stream().filter(k -> !a.contains(k)).forEach(all::add);
            return Collections.unmodifiableList(all).iterator();
        }

        @Override
        public int size() {
            return a.size() + (int) b.stream().filter(k -> !a.contains(k)).count();
        }
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
