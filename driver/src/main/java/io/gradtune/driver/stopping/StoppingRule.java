package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;

/**
 * Decides, after each epoch record of a running trial, whether it should stop. One method; a rule returns a
 * decision and never acts itself. Rules are called from the driver's consumer thread only.
 */
public interface StoppingRule {

    /**
     * @param curve  the trial's epoch records so far, in epoch order (the last one is new)
     * @param study  the curves of the study's other trials, for comparative rules (median, ASHA)
     */
    Decision evaluate(List<EpochMetrics> curve, StudyCurves study);
}
