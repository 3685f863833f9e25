package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.Format;
import io.gradtune.worker.stopping.Objectives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The median and ASHA rules as they were before {@link StudyCurves} was indexed (commit 901b9e7): every evaluation
 * scans every curve. The bodies are copied unchanged, with {@code study.curves()} replaced by an explicit map, so
 * tests can check the indexed rules against them.
 */
public final class LegacyComparativeRules {

    private LegacyComparativeRules() {
    }

    /** The old {@link MedianStoppingRule#evaluate}. */
    public static Decision median(MedianStoppingRule.Settings settings, List<EpochMetrics> curve,
                                  Map<String, List<EpochMetrics>> curves, StudyCurves study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int t = last.epoch();
        if (t < settings.minEpochs()) {
            return Decision.CONTINUE;
        }
        List<Double> averages = new ArrayList<>();
        for (Map.Entry<String, List<EpochMetrics>> e : curves.entrySet()) {
            if (!e.getKey().equals(last.trialId())) {
                runningAverage(e.getValue(), t, study).ifPresent(averages::add);
            }
        }
        if (averages.size() < settings.minTrials()) {
            return Decision.CONTINUE;
        }
        double median = median(averages);
        double best = Objectives.best(curve, study);
        if (Objectives.better(median, best, study)) {
            return new Decision(Decision.Action.PRUNE, MedianStoppingRule.NAME, t,
                    "best " + study.objectiveMetric() + " so far " + Format.num(best) + " is worse than the median "
                            + Format.num(median) + " of " + averages.size()
                            + " other trials' running averages at epoch " + t,
                    Map.of("best", best, "median", median, "trials", (double) averages.size(),
                            "min_epochs", (double) settings.minEpochs(), "min_trials", (double) settings.minTrials()));
        }
        return Decision.CONTINUE;
    }

    private static OptionalDouble runningAverage(List<EpochMetrics> other, int t, StudyCurves study) {
        double sum = 0;
        int n = 0;
        boolean reached = false;
        for (EpochMetrics m : other) {
            if (m.epoch() <= t) {
                sum += Objectives.value(m, study);
                n++;
                reached |= m.epoch() == t;
            }
        }
        return reached ? OptionalDouble.of(sum / n) : OptionalDouble.empty();
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The old {@link AshaRule#evaluate}. */
    public static Decision asha(AshaRule.Settings settings, List<Integer> rungs, List<EpochMetrics> curve,
                                Map<String, List<EpochMetrics>> curves, StudyCurves study) {
        if (curve.isEmpty()) {
            return Decision.CONTINUE;
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        int rung = last.epoch();
        if (!rungs.contains(rung)) {
            return Decision.CONTINUE;
        }
        double own = Objectives.value(last, study);
        List<Double> values = new ArrayList<>();
        values.add(own);
        for (Map.Entry<String, List<EpochMetrics>> e : curves.entrySet()) {
            if (e.getKey().equals(last.trialId())) {
                continue;
            }
            for (EpochMetrics m : e.getValue()) {
                if (m.epoch() == rung) {
                    values.add(Objectives.value(m, study));
                    break;
                }
            }
        }
        int n = values.size();
        int k = Math.max(1, n / settings.reductionFactor());
        Comparator<Double> bestFirst = study.maximize() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        values.sort(bestFirst);
        double cutoff = values.get(k - 1);
        if (Objectives.better(cutoff, own, study)) {
            return new Decision(Decision.Action.PRUNE, AshaRule.NAME, rung,
                    study.objectiveMetric() + " " + Format.num(own) + " at rung epoch " + rung
                            + " is not in the top " + k + " of " + n + " trials at this rung (cutoff "
                            + Format.num(cutoff) + ", reduction_factor " + settings.reductionFactor() + ")",
                    Map.of("value", own, "cutoff", cutoff, "rung", (double) rung, "trials_at_rung", (double) n,
                            "top_k", (double) k, "reduction_factor", (double) settings.reductionFactor()));
        }
        return Decision.CONTINUE;
    }
}
