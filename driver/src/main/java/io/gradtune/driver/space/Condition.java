package io.gradtune.driver.space;

import java.util.List;
import java.util.Map;

/**
 * When a conditional parameter is active: its parent must be active and either take one of {@code in}
 * (categorical parents) or be at least {@code atLeast} (numeric parents, e.g. {@code units_3} needs
 * {@code layers >= 3}). Exactly one of the two is set.
 *
 * @param parent  name of the parameter this one depends on
 * @param in      parent values that activate this parameter, or null
 * @param atLeast smallest parent value that activates this parameter, or null
 */
public record Condition(String parent, List<Object> in, Double atLeast) {

    public Condition {
        if ((in == null) == (atLeast == null)) {
            throw new IllegalArgumentException("a condition needs exactly one of 'in' or 'at_least'");
        }
        in = in == null ? null : List.copyOf(in);
    }

    /** True when the parent is present in {@code assignment} with an activating value. */
    public boolean holds(Map<String, Object> assignment) {
        Object v = assignment.get(parent);
        if (v == null) {
            return false;
        }
        if (in != null) {
            return in.stream().anyMatch(x -> SearchSpace.sameValue(x, v));
        }
        return v instanceof Number n && n.doubleValue() >= atLeast;
    }

    @Override
    public String toString() {
        return in != null ? parent + " in " + in : parent + " >= " + atLeast;
    }
}
