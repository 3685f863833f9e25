package io.gradtune.worker.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantilesTest {

    private static double nearestRank(double[] sorted, double q) {
        return Quantiles.nearestRank(i -> sorted[i], sorted.length, q);
    }

    @Test
    void interpolatesLinearlyBetweenOrderStatisticsAsRType7() {
        // R: quantile(c(1, 2, 3, 4), c(0, .25, .5, .9, 1)) = 1.00 1.75 2.50 3.70 4.00 (numpy gives the same)
        List<Double> v = List.of(4.0, 1.0, 3.0, 2.0);
        assertEquals(1.0, Quantiles.of(v, 0));
        assertEquals(1.75, Quantiles.of(v, 0.25));
        assertEquals(2.5, Quantiles.of(v, 0.5));
        assertEquals(3.7, Quantiles.of(v, 0.9), 1e-12);
        assertEquals(4.0, Quantiles.of(v, 1));
        // odd count: the median is the middle value; R: quantile(c(10, 20, 30, 40, 50), .3) = 22
        List<Double> w = List.of(50.0, 10.0, 40.0, 30.0, 20.0);
        assertEquals(30.0, Quantiles.of(w, 0.5));
        assertEquals(22.0, Quantiles.of(w, 0.3), 1e-12);
        assertEquals(7.0, Quantiles.of(List.of(7.0), 0.37));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleValuesBitForBit() {
        // 0.1 + 0.5 * (0.7 - 0.1) = 0.4, but (0.1 + 0.7) / 2 = 0.39999999999999997: the median rule used the latter
        assertEquals((0.1 + 0.7) / 2, Quantiles.of(List.of(0.7, 0.1), 0.5));
        SplittableRandom r = new SplittableRandom(7);
        for (int t = 0; t < 1000; t++) {
            double[] x = r.doubles(2 * (1 + r.nextInt(6)), -10, 10).sorted().toArray();
            int m = x.length / 2;
            assertEquals((x[m - 1] + x[m]) / 2, Quantiles.ofSorted(i -> x[i], x.length, 0.5));
        }
    }

    @Test
    void readsAtMostTheTwoNeighbouringOrderStatistics() {
        int[] reads = new int[100];
        Quantiles.ofSorted(i -> {
            reads[i]++;
            return i;
        }, 100, 0.37);
        assertEquals(1, reads[36]);
        assertEquals(1, reads[37]);
        assertEquals(2, java.util.Arrays.stream(reads).sum());
    }

    @Test
    void infinitiesAndEmptyInput() {
        assertEquals(Double.POSITIVE_INFINITY, Quantiles.of(List.of(1.0, Double.POSITIVE_INFINITY), 0.5));
        assertEquals(Double.POSITIVE_INFINITY,
                Quantiles.of(List.of(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY), 0.3));
        assertEquals(1.0, Quantiles.of(List.of(1.0, Double.POSITIVE_INFINITY), 0)); // not 1 + 0 * inf
        assertTrue(Double.isNaN(Quantiles.of(List.of(), 0.5)));
        assertTrue(Double.isNaN(nearestRank(new double[0], 0.5)));
    }

    @Test
    void rejectsProbabilitiesOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(List.of(1.0), 1.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(List.of(1.0), -0.1));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(List.of(1.0), Double.NaN));
    }

    @Test
    void nearestRankIsTheSmallestValueWithAtLeastQnValuesAtOrBelow() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, nearestRank(x, 0.5));
        assertEquals(6, nearestRank(x, 0.51));
        assertEquals(10, nearestRank(x, 0.99));
        assertEquals(1, nearestRank(x, 0.1));
        assertEquals(1, nearestRank(x, 0));
        assertEquals(10, nearestRank(x, 1));
    }
}
