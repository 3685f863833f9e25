package io.gradtune.driver.search;

import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class GpTrainingSetTest {

    private static final UnitCubeEncoding X = new UnitCubeEncoding(
            new SearchSpace(List.of(new FloatParameter("x", 0, 10, false, null))));

    private static Observation obs(double x, double value, Observation.Kind kind) {
        return new Observation(Map.of("x", x), value, kind);
    }

    @Test
    void infeasibleTrialsGetTheWorstObservedValueAndFailedOnesAreDropped() {
        GpTrainingSet set = GpTrainingSet.of(List.of(
                obs(1, 0.5, Observation.Kind.COMPLETED),
                obs(2, Double.NaN, Observation.Kind.INFEASIBLE),
                obs(3, -1.0, Observation.Kind.INFEASIBLE),   // a value better than any, still infeasible
                obs(4, 2.0, Observation.Kind.PRUNED),
                obs(5, 9.0, Observation.Kind.FAILED),
                obs(6, Double.POSITIVE_INFINITY, Observation.Kind.COMPLETED)), X, 100);
        assertArrayEquals(new double[]{0.5, 2.0, 2.0, 2.0, 2.0}, set.y());
        assertArrayEquals(new double[]{0.1, 0.2, 0.3, 0.4, 0.6}, java.util.Arrays.stream(set.x())
                .mapToDouble(u -> u[0]).toArray(), 1e-12);
        assertEquals(2, set.observed());
    }

    @Test
    void aboveTheCapKeepsTheBestHalfTheMostRecentQuarterAndASpreadOfTheRest() {
        double[] values = new double[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? i : 100 - i;   // even indices are the good ones
        }
        // best 4: 0, 2, 4, 6; most recent 2: 19, 18; then 2 evenly spaced from the other 14: the 1st and 8th, 1 and 11
        assertArrayEquals(new int[]{0, 1, 2, 4, 6, 11, 18, 19}, GpTrainingSet.select(values, 8));
    }

    @Test
    void standardizingClipsOnlyTheBadTailAndRejectsConstantValues() {
        double[] z = GpSampler.standardize(new double[]{0, 1, 2, 3, 1e6});
        // cap = median + 5 (median − best) = 2 + 10 = 12
        double[] clipped = {0, 1, 2, 3, 12};
        double mean = 18.0 / 5;
        double sd = Math.sqrt(java.util.Arrays.stream(clipped).map(v -> (v - mean) * (v - mean)).sum() / 5);
        assertArrayEquals(java.util.Arrays.stream(clipped).map(v -> (v - mean) / sd).toArray(), z, 1e-12);
        assertNull(GpSampler.standardize(new double[]{4, 4, 4}));
    }

    @Test
    void selectKeepsExactlyWhatTheBoxedSortKeptOnRandomValuesWithTiesZerosAndInfinities() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        double[] pool = {0.0, -0.0, 1.5, -2.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int round = 0; round < 2000; round++) {
            int n = 1 + r.nextInt(400);
            int cap = 1 + r.nextInt(160);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(4);
                values[i] = kind == 0 ? pool[r.nextInt(pool.length)] : kind == 1 ? r.nextInt(5) : r.nextDouble(-3, 3);
            }
            assertArrayEquals(boxedSelect(values, cap), GpTrainingSet.select(values, cap),
                    "n=" + n + " cap=" + cap + " round=" + round);
        }
    }

    /** The implementation of select before session 10 (a sort of boxed indices and TreeSets), as the reference. */
    private static int[] boxedSelect(double[] values, int cap) {
        int n = values.length;
        if (n <= cap) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        java.util.TreeSet<Integer> keep = new java.util.TreeSet<>();
        java.util.stream.IntStream.range(0, n).boxed()
                .sorted(java.util.Comparator.<Integer>comparingDouble(i -> values[i]).thenComparingInt(i -> i))
                .limit(cap / 2).forEach(keep::add);
        for (int i = n - 1; i >= 0 && keep.size() < cap / 2 + cap / 4; i--) {
            keep.add(i);
        }
        List<Integer> rest = new java.util.ArrayList<>();
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
}
