package io.gradtune.driver.space;

import java.util.List;

/**
 * A parameter that takes one of a list of choices (strings, numbers or booleans), each equally likely a priori.
 *
 * @param name      parameter name
 * @param choices   the choices, at least one, no duplicates
 * @param condition activating condition or null
 */
public record CategoricalParameter(String name, List<Object> choices, Condition condition) implements Parameter {

    public CategoricalParameter {
        if (choices == null || choices.isEmpty()) {
            throw new IllegalArgumentException("needs at least one choice");
        }
        choices = List.copyOf(choices);
        if (choices.stream().distinct().count() != choices.size()) {
            throw new IllegalArgumentException("choices must be distinct, got " + choices);
        }
    }

    /** Index of a value among the choices, or -1. */
    public int indexOf(Object value) {
        for (int i = 0; i < choices.size(); i++) {
            if (SearchSpace.sameValue(choices.get(i), value)) {
                return i;
            }
        }
        return -1;
    }
}
