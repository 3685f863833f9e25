package io.gradtune.driver.study;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Spark task attempts of one trial as the driver knows them: which ones Spark started, the last epoch accepted
 * of each, and the records that arrived before their attempt's start event (Spark's listener bus is asynchronous,
 * so a fast attempt's first records can overtake it). Guarded by the owning {@link Study}'s lock.
 *
 * <p>Held-back records are bounded: one record per epoch of the budget per attempt (the first to arrive, as for a
 * started attempt; a second one for the same epoch is a duplicate), for at most {@code maxAttempts} attempts, so a
 * flood of records cannot grow the driver's memory, nor push a real record out.
 */
final class Attempts {

    /** A record held back until its attempt is known to have started, with its JSON as received. */
    record Held(EpochMetrics record, String raw) {
    }

    private final int maxAttempts;
    private final int epochBudget;
    private final Set<Integer> started = new HashSet<>();
    private final Map<Integer, Integer> lastEpoch = new HashMap<>();
    /** Per attempt, held-back records by epoch, in order of arrival. */
    private final Map<Integer, Map<Integer, Held>> held = new HashMap<>();

    /**
     * @param maxAttempts attempts the trial may take (Spark's task failure limit): attempts 0 to maxAttempts - 1
     * @param epochBudget epochs one attempt trains at most
     */
    Attempts(int maxAttempts, int epochBudget) {
        this.maxAttempts = maxAttempts;
        this.epochBudget = epochBudget;
    }

    /** Whether Spark could ever run this attempt of the trial. */
    boolean possible(int attempt) {
        return attempt >= 0 && attempt < maxAttempts;
    }

    /** Whether the epoch can be an epoch of one attempt at all (1 to the epoch budget). */
    boolean withinBudget(int epoch) {
        return epoch >= 1 && epoch <= epochBudget;
    }

    boolean started(int attempt) {
        return started.contains(attempt);
    }

    /**
     * Records that Spark started the attempt.
     *
     * @return the records held back for it, in arrival order; empty when it was already known to have started
     */
    List<Held> start(int attempt) {
        if (!started.add(attempt)) {
            return List.of();
        }
        Map<Integer, Held> h = held.remove(attempt);
        return h == null ? List.of() : List.copyOf(h.values());
    }

    /** The last epoch accepted of the attempt, 0 before its first. */
    int lastEpoch(int attempt) {
        return lastEpoch.getOrDefault(attempt, 0);
    }

    void accepted(int attempt, int epoch) {
        lastEpoch.put(attempt, epoch);
    }

    /**
     * Holds back a record of an attempt not yet started (its epoch within the budget, its attempt possible).
     *
     * @return false when a record of that attempt and epoch is already held: this one is a duplicate
     */
    boolean hold(EpochMetrics m, String raw) {
        return held.computeIfAbsent(m.attempt(), a -> new LinkedHashMap<>())
                .putIfAbsent(m.epoch(), new Held(m, raw)) == null;
    }

    /** Records held back now. */
    int held() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    /** Drops every held-back record (the trial ended: their attempts never started) and says how many there were. */
    int dropHeld() {
        int n = held();
        held.clear();
        return n;
    }
}
