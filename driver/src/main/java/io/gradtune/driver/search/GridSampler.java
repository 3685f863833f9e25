package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
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
 * Exhaustive search over a discretized space, for small studies and reproducible sweeps. The grid is the
 * tree of the space: a conditional parameter only expands the combinations in which it is active, so a
 * {@code units_3} that needs {@code layers >= 3} does not multiply the runs with one or two layers.
 * Combinations come in a fixed order (first parameter slowest); any combination already finished or pending
 * in the history (e.g. from a resumed study) is skipped.
 *
 * <p>Repeats (see {@link Sampler}): never. No combination is proposed twice, nor one that is finished or pending;
 * once the grid is exhausted every proposal is empty. The seed plays no part.
 */
public final class GridSampler implements Sampler {

    private final List<Map<String, Object>> combinations;
    private int cursor;

    /**
     * @param space  the space to enumerate
     * @param points values per float or int range (at least 2); int ranges with fewer integers yield each
     */
    public GridSampler(SearchSpace space, int points) {
        if (points < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 points per range, got " + points);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        enumerate(space, points, 0, new LinkedHashMap<>(), out);
        this.combinations = List.copyOf(out);
    }

    /** Number of combinations in the grid. */
    public int size() {
        return combinations.size();
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        Set<AssignmentKey> seen = new HashSet<>();
        history.finished().forEach(o -> seen.add(AssignmentKey.of(o.params())));
        history.pending().forEach(p -> seen.add(AssignmentKey.of(p)));
        while (cursor < combinations.size()) {
            Map<String, Object> next = combinations.get(cursor++);
            if (!seen.contains(AssignmentKey.of(next))) {
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    /**
     * The grid values of one parameter: endpoints included, log ranges evenly spaced in log, int ranges
     * rounded and deduplicated (or every integer, when the range holds no more than {@code points}), float values
     * deduplicated too, so that no combination occurs twice.
     */
    static List<Object> axis(Parameter p, int points) {
        if (p instanceof FloatParameter f) {
            Set<Object> values = new LinkedHashSet<>(); // a range only a few doubles wide has fewer distinct values
            for (int i = 0; i < points; i++) {
                values.add(i == 0 ? f.low() : i == points - 1 ? f.high() : f.fromUnit(i / (points - 1.0)));
            }
            return new ArrayList<>(values);
        }
        if (p instanceof IntParameter ip) {
            Set<Object> values = new LinkedHashSet<>();
            if ((long) ip.high() - ip.low() + 1 <= points) {
                for (int v = ip.low(); v <= ip.high(); v++) {
                    values.add(v);
                }
                return new ArrayList<>(values);
            }
            for (int i = 0; i < points; i++) {
                double t = i / (points - 1.0);
                double x = ip.log()
                        ? Math.exp(Math.log(ip.low()) + t * (Math.log(ip.high()) - Math.log(ip.low())))
                        : ip.low() + t * ((double) ip.high() - ip.low());
                values.add((int) Math.max(ip.low(), Math.min(ip.high(), Math.round(x))));
            }
            return new ArrayList<>(values);
        }
        if (p instanceof CategoricalParameter c) {
            return c.choices();
        }
        return List.of(((FixedParameter) p).value());
    }

    private static void enumerate(SearchSpace space, int points, int index, LinkedHashMap<String, Object> partial,
                                  List<Map<String, Object>> out) {
        if (index == space.parameters().size()) {
            out.add(Collections.unmodifiableMap(new LinkedHashMap<>(partial)));
            return;
        }
        Parameter p = space.parameters().get(index);
        if (!space.isActive(p, partial)) {
            enumerate(space, points, index + 1, partial, out);
            return;
        }
        for (Object value : axis(p, points)) {
            partial.put(p.name(), value);
            enumerate(space, points, index + 1, partial, out);
            partial.remove(p.name());
        }
    }
}
