package io.gradtune.driver.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Smoothed, weighted choice frequencies: the categorical counterpart of {@link ParzenEstimator}. Each choice
 * gets {@code priorWeight / choices} pseudo-counts, so an unseen choice keeps a non-zero probability.
 */
final class CategoricalEstimator {

    private final double[] probabilities;

    private CategoricalEstimator(double[] probabilities) {
        this.probabilities = probabilities;
    }

    /**
     * @param observed    observed choice indices
     * @param weights     one weight per observation
     * @param choices     number of choices
     * @param priorWeight total pseudo-count spread evenly over the choices
     */
    static CategoricalEstimator fit(int[] observed, double[] weights, int choices, double priorWeight) {
        double[] p = new double[choices];
        Arrays.fill(p, priorWeight / choices);
        double total = priorWeight;
        for (int i = 0; i < observed.length; i++) {
            p[observed[i]] += weights[i];
            total += weights[i];
        }
        for (int c = 0; c < choices; c++) {
            p[c] /= total;
        }
        return new CategoricalEstimator(p);
    }

    int sample(SplittableRandom random) {
        double u = random.nextDouble();
        double running = 0;
        for (int c = 0; c < probabilities.length; c++) {
            running += probabilities[c];
            if (u < running) {
                return c;
            }
        }
        return probabilities.length - 1;
    }

    double logPdf(int choice) {
        return Math.log(probabilities[choice]);
    }
}
