package io.gradtune.driver.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The observations a {@link GpSampler} conditions on, as unit-cube points and raw objective values:
 * <ul>
 *   <li>COMPLETED and PRUNED trials with a finite value keep it (a pruned value is pessimistic but real);</li>
 *   <li>INFEASIBLE trials, and COMPLETED or PRUNED ones without a finite value, get the worst finite value
 *       observed, so the GP predicts poor results around them and expected improvement steers away;</li>
 *   <li>FAILED trials are left out (a crash says nothing about the objective).</li>
 * </ul>
 * Above {@code cap} usable trials, a subset is kept (see {@link #select}) so the O(n³) fit stays bounded.
 *
 * @param x        unit-cube points, in history order
 * @param y        objective values (minimization form), imputed for infeasible trials
 * @param observed how many trials had a finite value of their own (before the cap)
 */
record GpTrainingSet(double[][] x, double[] y, int observed) {

    static GpTrainingSet of(List<Observation> finished, UnitCubeEncoding encoding, int cap) {
        List<Observation> usable = finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).toList();
        double worst = Double.NEGATIVE_INFINITY;
        int observed = 0;
        for (Observation o : usable) {
            if (hasValue(o)) {
                worst = Math.max(worst, o.value());
                observed++;
            }
        }
        double[] values = new double[usable.size()];
        for (int i = 0; i < values.length; i++) {
            Observation o = usable.get(i);
            values[i] = hasValue(o) ? o.value() : worst;
        }
        int[] keep = select(values, cap);
        double[][] x = new double[keep.length][];
        double[] y = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            x[i] = encoding.encode(usable.get(keep[i]).params());
            y[i] = values[keep[i]];
        }
        return new GpTrainingSet(x, y, observed);
    }

    /**
     * Indices (ascending) of at most {@code cap} of the values: all of them when they fit; otherwise the best
     * half of the cap by value, then the most recent quarter, then evenly spaced picks from the rest (which
     * keeps a sketch of the poor regions, so the GP does not forget them).
     */
    static int[] select(double[] values, int cap) {
        int n = values.length;
        if (n <= cap) {
            return IntStream.range(0, n).toArray();
        }
        TreeSet<Integer> keep = new TreeSet<>();
        IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> values[i]).thenComparingInt(i -> i))
                .limit(cap / 2).forEach(keep::add);
        for (int i = n - 1; i >= 0 && keep.size() < cap / 2 + cap / 4; i--) {
            keep.add(i);
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!keep.contains(i)) {
                rest.add(i);
            }
        }
        int missing = cap - keep.size();
        for (int k = 0; k < missing; k++) {
            keep.add(rest.get((int) ((long) k * rest.size() / missing)));
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasValue(Observation o) {
        return (o.kind() == Observation.Kind.COMPLETED || o.kind() == Observation.Kind.PRUNED)
                && Double.isFinite(o.value());
    }

    int size() {
        return y.length;
    }
}
