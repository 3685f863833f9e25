package io.gradtune.driver.search;

import io.gradtune.driver.diagnose.DiagnosisKind;
import io.gradtune.driver.diagnose.Remedies;
import io.gradtune.driver.space.SearchSpace;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code search.repair: true}: before the study moves on, each finished trial with a diagnosis other than HEALTHY
 * is followed by its repaired neighbour: the same parameters with one in-space fix for its primary kind applied
 * ({@link Remedies#forKind}). Otherwise the wrapped sampler proposes.
 *
 * <p><b>Which fix: learned from this study's repairs.</b> For every (diagnosis kind, fix) pair the history's repairs
 * are counted, tried and succeeded ({@link RepairLedger}: a repair succeeded when its neighbour's diagnosis is milder
 * than the repaired kind, HEALTHY for instance, and its objective is better than the repaired trial's). A fix's
 * score is the posterior mean of its success rate under a uniform Beta(1, 1) prior, (succeeded + 1) / (tried + 2):
 * 1/2 for a fix not tried yet, 2/3 after one success, 1/3 after one failure. The trial gets its fix with the highest
 * score, ties going to the earlier fix in {@link Remedies}' order (the tutorials' order, so a study with no repairs
 * yet applies the first fix, as before). So a fix that worked is reused and one that failed gives way to the next
 * untried fix. A fix whose score is below {@value #GIVE_UP_BELOW} (three failures without a success, or seven
 * repairs with one) is not tried again; a trial all of whose fixes are given up is left to the wrapped sampler.
 *
 * <p>Once per pathological trial, and a repair is not repaired again: a trial whose assignment is a repaired
 * neighbour of an earlier finished trial is itself never repaired, so the repairs take at most half the budget.
 * A trial one of whose neighbours has finished or is pending counts as repaired. Everything, the learned rates
 * too, is read from the history, so the proposals are as deterministic as the wrapped sampler's and a resumed
 * study replays them. A parameter the fix makes active (a new layer's {@code units_k}) takes the middle of its
 * range, or its first choice.
 */
public final class RepairingSampler implements Sampler {

    /** A fix whose success-rate score falls below this is not tried again. */
    public static final double GIVE_UP_BELOW = 0.25;

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
        RepairLedger ledger = RepairLedger.read(history, space, remedies);
        for (RepairLedger.Waiting w : ledger.waiting()) {
            Optional<RepairLedger.Fix> fix = choose(ledger, w.trial().diagnosis(), w.fixes());
            if (fix.isPresent()) {
                return Optional.of(fix.get().neighbour());
            }
        }
        return base.propose(history);
    }

    /**
     * What this study has learned so far: per (diagnosis kind, fix) pair with at least one finished repair, the
     * repairs tried and succeeded, in the order of each pair's first repair (for {@code study.json}).
     */
    public List<FixRecord> learned(SearchHistory history) {
        return RepairLedger.read(history, space, remedies).table();
    }

    /** The fix with the highest score, the earliest on ties, leaving out given-up fixes; empty if all are. */
    static Optional<RepairLedger.Fix> choose(RepairLedger ledger, DiagnosisKind kind, List<RepairLedger.Fix> fixes) {
        Comparator<RepairLedger.Fix> byScore = Comparator.comparingDouble(
                f -> ledger.record(kind, f.remedy().id()).successRate());
        RepairLedger.Fix best = null;
        for (RepairLedger.Fix f : fixes) { // strictly greater: ties keep the earlier fix
            if (ledger.record(kind, f.remedy().id()).successRate() >= GIVE_UP_BELOW
                    && (best == null || byScore.compare(f, best) > 0)) {
                best = f;
            }
        }
        return Optional.ofNullable(best);
    }
}
