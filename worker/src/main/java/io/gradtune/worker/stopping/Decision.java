package io.gradtune.worker.stopping;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a stopping rule says about a trial after one epoch, with the evidence a person needs to check it.
 *
 * @param action   continue, prune (stop as hopeless) or complete (stop as done, e.g. plateau)
 * @param rule     name of the rule that decided ({@code divergence}, {@code median}, ...), null for CONTINUE
 * @param epoch    the epoch the decision was taken after
 * @param reason   one sentence for people, with the values and thresholds compared
 * @param evidence the compared values and thresholds by name
 */
public record Decision(Action action, String rule, int epoch, String reason, Map<String, Double> evidence) {

    /**
     * What to do with the trial. These are commands, not states: the driver records a trial stopped by
     * {@code PRUNE} as {@code TrialState.PRUNED} and one stopped by {@code COMPLETE} (it is done, for example on a
     * plateau) as {@code TrialState.COMPLETED}, the same state as a trial that ran its whole budget.
     */
    public enum Action { CONTINUE, PRUNE, COMPLETE }

    public static final Decision CONTINUE = new Decision(Action.CONTINUE, null, 0, null, Map.of());

    /**
     * The rules whose stops say that a region of the space is bad (the trial diverged, or its gradients exploded or
     * vanished), not merely behind the others: samplers treat such trials as infeasible. The one place that knows.
     */
    public static final Set<String> INFEASIBLE_RULES = Set.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME,
            VanishingGradientsRule.NAME);

    public Decision {
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /**
     * The one way decisions combine (the driver's {@code StoppingPolicy} and the worker's {@link TrialStopping} both
     * use it): the rules are asked in priority order; the first {@code PRUNE} wins over any {@code COMPLETE} (a
     * trial that diverged is recorded as pruned even if it also plateaued) and ends the asking; otherwise the first
     * {@code COMPLETE}; otherwise {@link #CONTINUE}.
     *
     * @param rules the rules in priority order
     * @param ask   asks one rule for its decision
     */
    public static <R> Decision combine(List<R> rules, Function<R, Decision> ask) {
        Decision complete = null;
        for (R rule : rules) {
            Decision d = ask.apply(rule);
            if (d.action() == Action.PRUNE) {
                return d;
            }
            if (d.action() == Action.COMPLETE && complete == null) {
                complete = d;
            }
        }
        return complete == null ? CONTINUE : complete;
    }

    public boolean stops() {
        return action != Action.CONTINUE;
    }

    /** Whether this is a prune by one of the {@link #INFEASIBLE_RULES}. */
    public boolean marksInfeasible() {
        return action == Action.PRUNE && marksInfeasible(rule);
    }

    /** Whether a prune by the rule of this name marks its trial infeasible (for decisions read back from a file). */
    public static boolean marksInfeasible(String rule) {
        return rule != null && INFEASIBLE_RULES.contains(rule);
    }
}
