package io.gradtune.driver.search;

import java.util.Map;
import java.util.Optional;

/**
 * Proposes the next assignment of a study. One method, no side effects on the study: the driver calls it
 * whenever a task slot is free, with everything finished and pending so far. Called from one thread only.
 * Deterministic: the same seed and the same sequence of histories give the same proposals.
 */
public interface Sampler {

    /**
     * @return the next assignment (active parameters only), or empty when the sampler is exhausted (grid)
     */
    Optional<Map<String, Object>> propose(SearchHistory history);
}
