package io.gradtune.driver.search;

import java.util.List;
import java.util.Map;

/**
 * What a sampler may look at when it proposes: finished trials, and the assignments of trials still running
 * (so an asynchronous sampler can avoid proposing them again).
 *
 * @param finished finished trials in the order they finished
 * @param pending  assignments of queued and running trials, oldest first (the order the study created them in)
 */
public record SearchHistory(List<Observation> finished, List<Map<String, Object>> pending) {

    public SearchHistory {
        finished = List.copyOf(finished);
        pending = List.copyOf(pending);
    }

    public static SearchHistory empty() {
        return new SearchHistory(List.of(), List.of());
    }
}
