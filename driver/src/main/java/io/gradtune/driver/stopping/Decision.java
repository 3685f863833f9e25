package io.gradtune.driver.stopping;

import java.util.Map;

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

    /** What to do with the trial. */
    public enum Action { CONTINUE, PRUNE, COMPLETE }

    public static final Decision CONTINUE = new Decision(Action.CONTINUE, null, 0, null, Map.of());

    public Decision {
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    public boolean stops() {
        return action != Action.CONTINUE;
    }
}
