package io.gradtune.driver.study;

/** Lifecycle of a trial, owned by the driver. COMPLETED, PRUNED and FAILED are terminal and never change. */
public enum TrialState {
    QUEUED, RUNNING, COMPLETED, PRUNED, FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == PRUNED || this == FAILED;
    }
}
