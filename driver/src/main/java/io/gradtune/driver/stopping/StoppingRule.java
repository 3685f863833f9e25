package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.TrialRule;

import java.util.List;

/**
 * Decides, after each epoch record of a running trial, whether it should stop. One method; a rule returns a
 * decision and never acts itself. Rules are called from the driver's consumer thread only.
 *
 * <p><b>Contract</b> (checked for every rule by {@code StoppingRuleContractTest}):
 * <ul>
 *   <li>an empty curve gives {@link Decision#CONTINUE};</li>
 *   <li>a stopping decision names its rule ({@link Decision#rule()}) and the epoch of the curve's last record;</li>
 *   <li>stateless: the decision depends only on the arguments, so the same inputs give the same decision, in any
 *       order of calls and trials;</li>
 *   <li>the inputs are untouched: a rule reads the curve and the study, and changes neither.</li>
 * </ul>
 * A comparative rule (median, ASHA) reads the other trials through {@link StudyCurves}'s public queries, so a rule
 * may live outside this package.
 *
 * <p><b>How rules combine</b> — in one way only, {@link StoppingPolicy}: the rules are asked in priority order;
 * the first {@code PRUNE} wins over any {@code COMPLETE} (a trial that diverged is recorded as pruned even if it
 * also plateaued); otherwise the first {@code COMPLETE}; otherwise continue. The driver's study asks one policy.
 */
public interface StoppingRule {

    /**
     * @param curve  the trial's epoch records so far, in epoch order (the last one is new)
     * @param study  the curves of the study's other trials, for comparative rules (median, ASHA)
     */
    Decision evaluate(List<EpochMetrics> curve, StudyCurves study);

    /**
     * The epochs (below {@code maxEpochs}) after which this rule may stop a trial for a reason the worker cannot see
     * (the other trials): the worker waits for the driver's verdict there. Empty for a rule that reads the trial's
     * own curve only (the worker applies those itself) and, by default, for a rule written elsewhere: its stops
     * arrive by cancel.
     */
    default List<Integer> decisionEpochs(int maxEpochs) {
        return List.of();
    }

    /**
     * A per-trial rule (divergence, gradients, plateau: the worker's {@link TrialRule}s, which the worker also applies
     * to its own trial) as a rule of the driver's policy: it reads the study's objective and nothing else.
     */
    static StoppingRule of(TrialRule rule) {
        return new PerTrial(rule);
    }

    /** {@link #of}: a per-trial rule in the driver's policy. */
    record PerTrial(TrialRule rule) implements StoppingRule {
        @Override
        public Decision evaluate(List<EpochMetrics> curve, StudyCurves study) {
            return rule.evaluate(curve, study);
        }
    }
}
