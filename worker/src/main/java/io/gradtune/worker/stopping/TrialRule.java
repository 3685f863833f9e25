package io.gradtune.worker.stopping;

import io.gradtune.worker.protocol.EpochMetrics;

import java.util.List;

/**
 * A stopping rule that reads one trial's own curve only (divergence, exploding and vanishing gradients, plateau),
 * so the worker training the trial can apply it the moment an epoch ends, and the driver applies the same code to
 * the records it receives. The comparative rules (median, ASHA) need the other trials and live in the driver.
 *
 * <p>Contract (checked by the driver's {@code StoppingRuleContractTest}): an empty curve continues; a stopping
 * decision names its rule and the epoch of the curve's last record; stateless; the inputs are untouched. A rule that
 * judges a loss or an accuracy against the dataset takes its {@link ClassPrior} in its constructor (as
 * {@link TrialStopping#rules()} builds them) and skips those tests when it has none.
 */
public interface TrialRule {

    /**
     * @param curve     the trial's epoch records so far, in epoch order (the last one is new)
     * @param objective the study's objective metric and direction
     */
    Decision evaluate(List<EpochMetrics> curve, Objective objective);
}
