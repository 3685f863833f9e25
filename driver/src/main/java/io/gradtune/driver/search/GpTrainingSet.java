package io.gradtune.driver.search;

import java.util.List;
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
        // The best cap / 2 in (value, index) order, as Double.compare orders values: those below the (cap / 2)-th
        // smallest value, then the ties at it by index. Primitive arrays, not a sort of boxed indices: this runs on
        // every proposal over the whole history (BENCHMARKS.md, "Driver scale, session 10").
        boolean[] keep = new boolean[n];
        int kept = 0;
        int best = cap / 2;
        if (best > 0) {
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            double threshold = sorted[best - 1];
            for (int i = 0; i < n; i++) {
                if (Double.compare(values[i], threshold) < 0) {
                    keep[i] = true;
                    kept++;
                }
            }
            for (int i = 0; i < n && kept < best; i++) {
                if (Double.compare(values[i], threshold) == 0) {
                    keep[i] = true;
                    kept++;
                }
            }
        }
        for (int i = n - 1; i >= 0 && kept < cap / 2 + cap / 4; i--) {
            if (!keep[i]) {
                keep[i] = true;
                kept++;
            }
        }
        int[] rest = new int[n - kept];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (!keep[i]) {
                rest[r++] = i;
            }
        }
        int missing = cap - kept;
        for (int k = 0; k < missing; k++) {
            keep[rest[(int) ((long) k * rest.length / missing)]] = true;
        }
        return IntStream.range(0, n).filter(i -> keep[i]).toArray();
    }

    private static boolean hasValue(Observation o) {
        return (o.kind() == Observation.Kind.COMPLETED || o.kind() == Observation.Kind.PRUNED)
                && Double.isFinite(o.value());
    }

    int size() {
        return y.length;
    }
}
