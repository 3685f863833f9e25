package io.gradtune.driver.study;

/**
 * Lifecycle of a trial, owned by the driver. COMPLETED, PRUNED and FAILED are final and never change. INTERRUPTED
 * (the study was stopped by a signal while the trial was queued or running) is terminal for the process that
 * recorded it, but not final: {@code gradtune resume} runs the trial again with the same parameters and seed.
 */
public enum TrialState {
    QUEUED, RUNNING, COMPLETED, PRUNED, FAILED, INTERRUPTED;

    /** Nothing more happens to the trial in this process. */
    public boolean isTerminal() {
        return this == COMPLETED || this == PRUNED || this == FAILED || this == INTERRUPTED;
    }

    /** The trial's result is its last word: a resumed study keeps it and does not run the trial again. */
    public boolean isFinal() {
        return this == COMPLETED || this == PRUNED || this == FAILED;
    }
}
