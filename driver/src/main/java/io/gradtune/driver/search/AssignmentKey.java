package io.gradtune.driver.search;

import java.util.Map;
import java.util.TreeMap;

/**
 * An assignment in a canonical form so that "the same trial" can be recognised across sources: numbers
 * compare by value (1 == 1.0, as {@link io.gradtune.driver.space.SearchSpace#sameValue} does), everything
 * else by its string form, and parameter order does not matter.
 *
 * @param values parameter name to canonical value, sorted by name
 */
record AssignmentKey(Map<String, Object> values) {

    static AssignmentKey of(Map<String, Object> assignment) {
        TreeMap<String, Object> canonical = new TreeMap<>();
        assignment.forEach((name, v) -> canonical.put(name, v instanceof Number n ? (Object) n.doubleValue()
                : String.valueOf(v)));
        return new AssignmentKey(canonical);
    }
}
