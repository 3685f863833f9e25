package io.gradtune.driver.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link AssignmentKey}s of a sampler's finished observations, kept from one proposal to the next. A study's
 * history only grows at its end and hands the same {@link Observation} objects to every proposal, so only the new
 * ones are keyed; any other history (a different prefix, by identity) is keyed again from scratch. Building every
 * key anew made each proposal O(N) in canonical maps and hashing, so the proposal loop's CPU grew with the study
 * (BENCHMARKS.md, "Driver scale, session 10"). Not thread-safe: one per sampler, used from its proposing thread.
 */
final class FinishedKeys {

    private final List<Observation> seen = new ArrayList<>();
    private final Set<AssignmentKey> keys = new HashSet<>();

    /**
     * The keys of {@code finished}'s assignments. The returned set is this object's own: valid until the next call.
     */
    Set<AssignmentKey> of(List<Observation> finished) {
        int known = seen.size();
        boolean grows = finished.size() >= known;
        for (int i = 0; grows && i < known; i++) {
            grows = finished.get(i) == seen.get(i);
        }
        if (!grows) {
            seen.clear();
            keys.clear();
            known = 0;
        }
        for (int i = known; i < finished.size(); i++) {
            Observation o = finished.get(i);
            seen.add(o);
            keys.add(AssignmentKey.of(o.params()));
        }
        return keys;
    }
}
