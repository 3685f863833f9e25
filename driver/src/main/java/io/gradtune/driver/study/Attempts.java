package io.gradtune.driver.study;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Spark task attempts of one trial as the driver knows them: which ones Spark started, the last epoch accepted
 * of each, and the records that arrived before their attempt's start event (Spark's listener bus is asynchronous,
 * so a fast attempt's first records can overtake it). Guarded by the owning {@link Study}'s lock.
 *
 * <p>Held-back records are bounded: an attempt publishes at most the epoch budget, so at most that many of one
 * attempt are kept; a trial may take at most {@code maxAttempts} attempts, so at most that many attempts are kept.
 */
final class Attempts {

    /** A record held back until its attempt is known to have started, with its JSON as received. */
    record Held(EpochMetrics record, String raw) {
    }

    private final int maxAttempts;
    private final int epochBudget;
    private final Set<Integer> started = new HashSet<>();
    private final Map<Integer, Integer> lastEpoch = new HashMap<>();
    private final Map<Integer, List<Held>> held = new HashMap<>();

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
        List<Held> h = held.remove(attempt);
        return h == null ? List.of() : h;
    }

    /** The last epoch accepted of the attempt, 0 before its first. */
    int lastEpoch(int attempt) {
        return lastEpoch.getOrDefault(attempt, 0);
    }

    void accepted(int attempt, int epoch) {
        lastEpoch.put(attempt, epoch);
    }

    /** Holds back a record of an attempt not yet started; false when that attempt already holds its epoch budget. */
    boolean hold(EpochMetrics m, String raw) {
        List<Held> h = held.computeIfAbsent(m.attempt(), a -> new ArrayList<>());
        if (h.size() >= epochBudget) {
            return false;
        }
        h.add(new Held(m, raw));
        return true;
    }

    /** Records held back now. */
    int held() {
        return held.values().stream().mapToInt(List::size).sum();
    }

    /** Drops every held-back record (the trial ended: their attempts never started) and says how many there were. */
    int dropHeld() {
        int n = held();
        held.clear();
        return n;
    }
}
