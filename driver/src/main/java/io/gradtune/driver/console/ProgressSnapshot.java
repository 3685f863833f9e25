package io.gradtune.driver.console;

/**
 * A running study's counts at one moment, as the progress line shows them.
 *
 * @param completed  trials that completed
 * @param running    trials queued or running
 * @param pruned     trials a stopping rule ended early
 * @param failed     trials that failed
 * @param budget     the trial budget ({@code search.max_trials})
 * @param metric     the objective's metric, e.g. {@code val_accuracy}
 * @param best       the best completed trial's objective, or NaN when none completed
 * @param bestTrial  the best completed trial's id, or null
 * @param epochs     epoch records accepted so far by this process (every trial, every attempt)
 */
public record ProgressSnapshot(int completed, int running, int pruned, int failed, int budget, String metric,
                               double best, String bestTrial, long epochs) {

    /** Trials that ended: completed, pruned or failed (interrupted ones run again and are not counted). */
    public int ended() {
        return completed + pruned + failed;
    }
}
