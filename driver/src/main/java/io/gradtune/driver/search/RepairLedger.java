package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.diagnose.Remedy;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a study's history says about repairs, read afresh from the history for every proposal (so a resumed study,
 * whose history is replayed from the journal, reads the same): which finished trials are repaired neighbours of
 * which earlier trial and fix, how each (diagnosis, fix) pair has done ({@link FixRecord}), and which pathological
 * trials still wait for their repair.
 *
 * <p>Walking the finished trials in the order they finished: a trial whose assignment is the neighbour of an earlier
 * finished pathological trial under one of that trial's in-space fixes is a <em>repair</em> of it with that fix,
 * whichever sampler proposed it; it counts for that fix and kind if it finished with a diagnosis (a crash or a trial
 * without an epoch says nothing about the fix), and is never repaired itself. Any other trial diagnosed other than
 * HEALTHY is <em>pathological</em>: its neighbours under each in-space fix for its primary kind are noted, and it waits
 * for a repair unless one of them has finished or is pending.
 *
 * <p>A repair <em>succeeded</em> when the neighbour's diagnosis is milder than the kind it repaired (HEALTHY, or a
 * kind of lower {@link DiagnosisKind#severity()}: a vanishing net that now only underfits) <strong>and</strong> its
 * objective is better than the repaired trial's. A milder diagnosis alone is not enough: the fix is there to find
 * better trials, and a "cured" trial that scores worse (an overfitting net given so much dropout that it learns
 * less) did not help.
 */
final class RepairLedger {

    /** A fix for a waiting trial and the neighbour it gives. */
    record Fix(Remedy remedy, Map<String, Object> neighbour) {
    }

    /** A pathological trial waiting for its repair, with its in-space fixes in {@link Remedies} order. */
    record Waiting(Observation trial, List<Fix> fixes) {
    }

    /** The trial and kind a neighbour would repair, and with which fix. */
    private record Parent(Observation trial, DiagnosisKind kind, String fix) {
    }

    private final Map<String, FixRecord> records = new LinkedHashMap<>();
    private final List<Waiting> waiting = new ArrayList<>();

    private RepairLedger() {
    }

    /** Reads the history; the space and remedies decide each trial's in-space fixes and neighbours. */
    static RepairLedger read(SearchHistory history, SearchSpace space, Remedies remedies) {
        RepairLedger ledger = new RepairLedger();
        Set<AssignmentKey> taken = new HashSet<>();
        history.finished().forEach(o -> taken.add(AssignmentKey.of(o.params())));
        history.pending().forEach(p -> taken.add(AssignmentKey.of(p)));
        Map<AssignmentKey, Parent> parents = new HashMap<>();
        for (Observation o : history.finished()) {
            Parent parent = parents.get(AssignmentKey.of(o.params()));
            if (parent != null) {
                if (o.kind() != Observation.Kind.FAILED && o.diagnosis() != null) {
                    ledger.count(parent.kind(), parent.fix(), succeeded(parent.trial(), parent.kind(), o));
                }
                continue;
            }
            if (o.diagnosis() == null || o.diagnosis() == DiagnosisKind.HEALTHY) {
                continue;
            }
            List<Fix> fixes = new ArrayList<>();
            boolean repaired = false;
            for (Remedy r : remedies.forKind(o.diagnosis(), o.params())) {
                if (r.inSpace()) {
                    Map<String, Object> neighbour = neighbour(space, o.params(), r);
                    AssignmentKey key = AssignmentKey.of(neighbour);
                    parents.putIfAbsent(key, new Parent(o, o.diagnosis(), r.id()));
                    repaired |= taken.contains(key);
                    fixes.add(new Fix(r, neighbour));
                }
            }
            if (!repaired && !fixes.isEmpty()) {
                ledger.waiting.add(new Waiting(o, List.copyOf(fixes)));
            }
        }
        return ledger;
    }

    /**
     * Whether a finished, diagnosed repair succeeded: its diagnosis milder than the repaired kind and its objective
     * better (lower, in minimization form) than the repaired trial's; a NaN objective is worse than any number.
     */
    static boolean succeeded(Observation repaired, DiagnosisKind kind, Observation repair) {
        boolean milder = repair.diagnosis().severity() > kind.severity();
        boolean better = !Double.isNaN(repair.value())
                && (Double.isNaN(repaired.value()) || repair.value() < repaired.value());
        return milder && better;
    }

    /** The trial's parameters with the fix applied; a parameter the fix makes active takes a middle value. */
    static Map<String, Object> neighbour(SearchSpace space, Map<String, Object> params, Remedy fix) {
        Map<String, Object> merged = new LinkedHashMap<>(params);
        merged.putAll(fix.change());
        return new LinkedHashMap<>(space.assign(p -> valueOf(p, merged.get(p.name()))));
    }

    /** The record of a (kind, fix) pair, untried when the history holds none of its repairs. */
    FixRecord record(DiagnosisKind kind, String fix) {
        return records.getOrDefault(kind + "/" + fix, FixRecord.untried(kind, fix));
    }

    /** Every (kind, fix) pair with at least one repair counted, in the order of each pair's first repair. */
    List<FixRecord> table() {
        return List.copyOf(records.values());
    }

    /** Pathological trials without a finished or pending repair, in the order they finished. */
    List<Waiting> waiting() {
        return List.copyOf(waiting);
    }

    private void count(DiagnosisKind kind, String fix, boolean success) {
        records.put(kind + "/" + fix, record(kind, fix).plus(success));
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
