package io.gradtune.driver.space;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An ordered, immutable set of parameters. Every parameter's parent comes before it, so an assignment can be
 * built front to back and a condition is always decided by values already chosen.
 */
public record SearchSpace(List<Parameter> parameters) {

    public SearchSpace {
        parameters = List.copyOf(parameters);
        Set<String> seen = new HashSet<>();
        for (Parameter p : parameters) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is defined twice");
            }
            Condition c = p.condition();
            if (c != null && !seen.contains(c.parent())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' depends on '" + c.parent()
                        + "', which must be defined before it");
            }
        }
    }

    public Parameter get(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    /** Parameters that are searched (not fixed). */
    public List<Parameter> searched() {
        return parameters.stream().filter(p -> !(p instanceof FixedParameter)).toList();
    }

    /**
     * Builds an assignment front to back: {@code chooser} picks a value for each active non-fixed parameter;
     * inactive parameters are left out.
     */
    public Map<String, Object> assign(Function<Parameter, Object> chooser) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (p.condition() != null && !p.condition().holds(out)) {
                continue;
            }
            out.put(p.name(), p instanceof FixedParameter f ? f.value() : chooser.apply(p));
        }
        return Collections.unmodifiableMap(out);
    }

    /** True when a parameter is active given the other values of an assignment. */
    public boolean isActive(Parameter p, Map<String, Object> assignment) {
        return p.condition() == null || p.condition().holds(assignment);
    }

    /** Value equality across number types: 1 == 1.0, "a" == "a". */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b) || a != null && b != null && a.toString().equals(b.toString());
    }
}
