package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;

import java.util.List;

/**
 * The study's stopping rules as one rule: the first PRUNE in rule order wins over any COMPLETE, so a diverged trial
 * is recorded as pruned even when it has also plateaued; otherwise the first COMPLETE, otherwise CONTINUE. Rules
 * are stateless, so evaluation may stop at the first PRUNE without changing any later decision.
 */
public final class StoppingPolicy implements StoppingRule {

    private static final StoppingPolicy NONE = new StoppingPolicy(List.of());

    private final List<StoppingRule> rules;

    /** @param rules the rules in priority order (earlier wins among decisions of the same action) */
    public StoppingPolicy(List<StoppingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** A policy of the given rules, in priority order. */
    public static StoppingPolicy of(StoppingRule... rules) {
        return new StoppingPolicy(List.of(rules));
    }

    /**
     * The recommended policy: divergence, exploding and vanishing gradients, plateau (patience 5) and ASHA
     * (r = 1, eta = 3), each with its default settings; the median rule is off. See {@link StoppingSettings#defaults()}.
     *
     * @param maxEpochs the epochs a trial trains at most (ASHA's R)
     */
    public static StoppingPolicy defaults(int maxEpochs) {
        return StoppingSettings.defaults().toPolicy(maxEpochs);
    }

    /** A policy that never stops a trial. */
    public static StoppingPolicy none() {
        return NONE;
    }

    public List<StoppingRule> rules() {
        return rules;
    }

    /** Every rule's decision epochs, ascending, each once. */
    @Override
    public List<Integer> decisionEpochs(int maxEpochs) {
        return rules.stream().flatMap(r -> r.decisionEpochs(maxEpochs).stream()).distinct().sorted().toList();
    }

    @Override
    public Decision evaluate(List<EpochMetrics> curve, StudyCurves study) {
        return Decision.combine(rules, rule -> rule.evaluate(curve, study));
    }
}
