package io.gradtune.driver.search;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParzenEstimatorTest {

    private static final double[] OBSERVED = {0.1, 0.12, 0.8, 0.0, 1.0};

    @Test
    void univariateDensityIntegratesToOneOnTheUnitInterval() {
        ParzenEstimator e = ParzenEstimator.fit(OBSERVED, GoodBadSplit.weights(OBSERVED.length), 1.0);
        int n = 20000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(e.logPdf((i + 0.5) / n)) / n;
        }
        assertEquals(1.0, sum, 1e-3);
    }

    @Test
    void multivariateDensityIntegratesToOneOnTheUnitSquare() {
        double[][] points = {{0.1, 0.9}, {0.5, 0.5}, {0.95, 0.05}};
        MultivariateParzenEstimator e = MultivariateParzenEstimator.fit(points, GoodBadSplit.weights(3), 2, 1.0);
        int n = 400;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sum += Math.exp(e.logPdf(new double[]{(i + 0.5) / n, (j + 0.5) / n})) / (n * n);
            }
        }
        assertEquals(1.0, sum, 2e-3);
    }

    @Test
    void samplesStayInTheUnitIntervalAndConcentrateNearObservations() {
        double[] observed = new double[20];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = 0.2 + 0.001 * i;
        }
        ParzenEstimator e = ParzenEstimator.fit(observed, GoodBadSplit.weights(observed.length), 1.0);
        SplittableRandom random = new SplittableRandom(1);
        int near = 0;
        for (int i = 0; i < 4000; i++) {
            double x = e.sample(random);
            assertTrue(x >= 0 && x <= 1);
            near += Math.abs(x - 0.21) < 0.1 ? 1 : 0;
        }
        // 20 of 21 components sit at 0.2 with width 1/21 after the magic clip; the prior alone puts ~20% there
        assertTrue(near > 3000, near + " of 4000 draws near the observations");
    }
}
