package io.gradtune.driver.search;

import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The grid's one-factor-at-a-time design ({@code search: {algorithm: grid, design: one_at_a_time}}): first the
 * baseline, every parameter at the first value of its grid axis (a categorical's first value, a range's low end),
 * then, parameter by parameter in the space's order, each other value of that parameter alone with every other
 * parameter at its baseline value. A space of parameters with n1, n2, ... values gives 1 + (n1 - 1) + (n2 - 1) + ...
 * trials instead of the full grid's n1 x n2 x ...: the design of an ablation, "each fix alone", such as
 * {@code configs/gradients-fixes.yaml}.
 *
 * <p>Conditions are respected as the full grid respects them: a parameter is present exactly when it is active
 * given the other values; a parameter inactive at the baseline is varied only where it becomes active, i.e. never
 * (its values show up only together with its parent's change, at their first value). Repeats: never, as the full
 * grid; empty once every assignment of the design has been proposed or taken.
 */
public final class OneAtATimeSampler implements Sampler {

    private final List<Map<String, Object>> assignments;
    private int cursor;

    /**
     * @param space  the space
     * @param points values per float or int range (at least 2), as the full grid takes them
     */
    public OneAtATimeSampler(SearchSpace space, int points) {
        if (points < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 points per range, got " + points);
        }
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
            axes.put(p.name(), GridSampler.axis(p, points));
        }
        Set<Map<String, Object>> out = new LinkedHashSet<>();
        Map<String, Object> baseline = assignment(space, axes, null, null);
        out.add(baseline);
        for (Parameter p : space.parameters()) {
            if (p instanceof FixedParameter || !baseline.containsKey(p.name())) {
                continue;
            }
            List<Object> values = axes.get(p.name());
            for (Object v : values.subList(1, values.size())) {
                out.add(assignment(space, axes, p.name(), v));
            }
        }
        this.assignments = List.copyOf(out);
    }

    /** Number of assignments in the design. */
    public int size() {
        return assignments.size();
    }

    /** Every parameter at the first value of its axis, except {@code changed} at {@code value}; active ones only. */
    private static Map<String, Object> assignment(SearchSpace space, Map<String, List<Object>> axes, String changed,
                                                  Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
            if (!space.isActive(p, out)) {
                continue;
            }
            out.put(p.name(), p.name().equals(changed) ? value : axes.get(p.name()).get(0));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        Set<AssignmentKey> seen = new HashSet<>();
        history.finished().forEach(o -> seen.add(AssignmentKey.of(o.params())));
        history.pending().forEach(p -> seen.add(AssignmentKey.of(p)));
        while (cursor < assignments.size()) {
            Map<String, Object> next = assignments.get(cursor++);
            if (!seen.contains(AssignmentKey.of(next))) {
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    /** The design's assignments in proposal order (for tests and {@code validate}). */
    List<Map<String, Object>> assignments() {
        return new ArrayList<>(assignments);
    }
}
