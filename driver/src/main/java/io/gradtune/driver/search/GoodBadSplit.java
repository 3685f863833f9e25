package io.gradtune.driver.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * TPE's division of the history into the good trials (the lowest gamma(n) values) and the rest, each list in
 * history order. Only COMPLETED and PRUNED trials with a value can be good; INFEASIBLE trials and pending
 * assignments (the "constant liar") are always bad; FAILED trials are left out.
 *
 * @param good assignments of the good trials
 * @param bad  assignments of every other usable trial, pending ones last
 */
record GoodBadSplit(List<Map<String, Object>> good, List<Map<String, Object>> bad) {

    /** Optuna's default: gamma(n) = min(ceil(0.1 n), 25). */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    static GoodBadSplit of(List<Observation> finished, List<Map<String, Object>> pending) {
        int usable = (int) finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).count();
        List<Integer> rankable = IntStream.range(0, finished.size()).boxed()
                .filter(i -> isRankable(finished.get(i)))
                .sorted(Comparator.<Integer>comparingDouble(i -> finished.get(i).value())
                        .thenComparingInt(i -> i))
                .toList();
        int nGood = Math.min(gamma(usable + pending.size()), rankable.size());
        Set<Integer> goodIndices = new HashSet<>(rankable.subList(0, nGood));
        List<Map<String, Object>> good = new ArrayList<>();
        List<Map<String, Object>> bad = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            Observation o = finished.get(i);
            if (o.kind() != Observation.Kind.FAILED) {
                (goodIndices.contains(i) ? good : bad).add(o.params());
            }
        }
        bad.addAll(pending);
        return new GoodBadSplit(List.copyOf(good), List.copyOf(bad));
    }

    /**
     * Optuna's default recency weights: equal for the last 25 observations, a linear ramp from 1/n up to 1
     * for the older ones.
     */
    static double[] weights(int n) {
        double[] w = new double[n];
        int ramp = Math.max(0, n - 25);
        for (int i = 0; i < n; i++) {
            w[i] = i >= ramp ? 1 : ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        }
        return w;
    }

    private static boolean isRankable(Observation o) {
        return (o.kind() == Observation.Kind.COMPLETED || o.kind() == Observation.Kind.PRUNED)
                && !Double.isNaN(o.value());
    }
}
