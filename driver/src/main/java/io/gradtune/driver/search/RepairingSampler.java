package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.diagnose.Remedy;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code search.repair: true}: before the study moves on, each finished trial with a diagnosis other than HEALTHY
 * is followed by its repaired neighbour: the same parameters with its first in-space fix applied
 * ({@link Remedies#forKind}, primary kind). Otherwise the wrapped sampler proposes.
 *
 * <p>Once per pathological trial, and a repair is not repaired again: a trial whose assignment is the repaired
 * neighbour of an earlier finished trial is itself never repaired, so the repairs take at most half the budget.
 * A neighbour already finished or pending is not proposed again. Everything is read from the history, so the
 * proposals are as deterministic as the wrapped sampler's and a resumed study replays them. A parameter the fix
 * makes active (a new layer's {@code units_k}) takes the middle of its range, or its first choice.
 */
public final class RepairingSampler implements Sampler {

    private final Sampler base;
    private final SearchSpace space;
    private final Remedies remedies;

    public RepairingSampler(Sampler base, SearchSpace space, Remedies remedies) {
        this.base = base;
        this.space = space;
        this.remedies = remedies;
    }

    @Override
    public Optional<Map<String, Object>> propose(SearchHistory history) {
        Set<AssignmentKey> taken = new HashSet<>();
        history.finished().forEach(o -> taken.add(AssignmentKey.of(o.params())));
        history.pending().forEach(p -> taken.add(AssignmentKey.of(p)));
        Set<AssignmentKey> repairs = new HashSet<>();
        for (Observation o : history.finished()) {
            if (o.diagnosis() == null || o.diagnosis() == DiagnosisKind.HEALTHY
                    || repairs.contains(AssignmentKey.of(o.params()))) {
                continue;
            }
            Optional<Map<String, Object>> neighbour = repaired(o);
            if (neighbour.isPresent()) {
                AssignmentKey key = AssignmentKey.of(neighbour.get());
                repairs.add(key);
                if (!taken.contains(key)) {
                    return neighbour;
                }
            }
        }
        return base.propose(history);
    }

    /** The trial's parameters with its first in-space fix applied, or empty when no fix is in the space. */
    Optional<Map<String, Object>> repaired(Observation o) {
        Optional<Remedy> fix = remedies.forKind(o.diagnosis(), o.params()).stream().filter(Remedy::inSpace).findFirst();
        if (fix.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> merged = new LinkedHashMap<>(o.params());
        merged.putAll(fix.get().change());
        return Optional.of(new LinkedHashMap<>(space.assign(p -> valueOf(p, merged.get(p.name())))));
    }

    /** The value as the sampler contract types it (a choice itself, a Double, an Integer), or a default if none. */
    private static Object valueOf(Parameter p, Object value) {
        if (p instanceof CategoricalParameter c) {
            int i = value == null ? -1 : c.indexOf(value);
            return c.choices().get(Math.max(i, 0));
        }
        if (p instanceof FloatParameter f) {
            return value instanceof Number n ? (Object) n.doubleValue() : (Object) f.fromUnit(0.5);
        }
        IntParameter i = (IntParameter) p;
        return value instanceof Number n ? (Object) (int) Math.round(n.doubleValue()) : (Object) i.fromUnit(0.5);
    }
}
