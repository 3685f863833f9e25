package io.gradtune.driver.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A weighted mixture of Gaussians truncated to [0, 1]: one per observation plus a wide prior component at
 * 0.5, the density TPE fits to the good and to the bad trials of one numeric parameter. Bandwidths follow
 * Optuna's univariate rule: each kernel is as wide as the larger gap to its sorted neighbours (the outermost
 * use their inner gap), clipped to [1 / min(100, n + 1), 1] (the "magic clip"); the prior's width is 1.
 */
final class ParzenEstimator {

    private final double[] mus;
    private final double[] sigmas;
    private final double[] cumulative;
    private final double[] logCoefficients;
    private final double[] scratch;

    private ParzenEstimator(double[] mus, double[] sigmas, double[] weights) {
        this.mus = mus;
        this.sigmas = sigmas;
        int n = mus.length;
        double total = Arrays.stream(weights).sum();
        this.cumulative = new double[n];
        this.logCoefficients = new double[n];
        double running = 0;
        for (int k = 0; k < n; k++) {
            running += weights[k] / total;
            cumulative[k] = running;
            logCoefficients[k] = Math.log(weights[k] / total) - Math.log(sigmas[k])
                    - TruncatedNormal.logMass(mus[k], sigmas[k]) - TruncatedNormal.LOG_SQRT_2PI;
        }
        this.scratch = new double[n];
    }

    /**
     * @param observed    observations in [0, 1]
     * @param weights     one weight per observation
     * @param priorWeight weight of the prior component N(0.5, 1)
     */
    static ParzenEstimator fit(double[] observed, double[] weights, double priorWeight) {
        int n = observed.length + 1;
        double[] mus = Arrays.copyOf(observed, n);
        mus[n - 1] = 0.5;
        double[] w = Arrays.copyOf(weights, n);
        w[n - 1] = priorWeight;
        double[] sigmas = neighbourBandwidths(mus);
        double minSigma = 1.0 / Math.min(100, n + 1);
        for (int k = 0; k < n; k++) {
            sigmas[k] = Math.min(1, Math.max(minSigma, sigmas[k]));
        }
        sigmas[n - 1] = 1;
        return new ParzenEstimator(mus, sigmas, w);
    }

    /** One draw: pick a component by weight, then draw from its truncated Gaussian. */
    double sample(SplittableRandom random) {
        double u = random.nextDouble();
        int k = Arrays.binarySearch(cumulative, u);
        k = Math.min(k >= 0 ? k : -k - 1, mus.length - 1);
        return TruncatedNormal.sample(mus[k], sigmas[k], random);
    }

    /** log density at x in [0, 1], by log-sum-exp over the components. */
    double logPdf(double x) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < mus.length; k++) {
            double z = (x - mus[k]) / sigmas[k];
            scratch[k] = logCoefficients[k] - 0.5 * z * z;
            max = Math.max(max, scratch[k]);
        }
        double sum = 0;
        for (int k = 0; k < mus.length; k++) {
            sum += Math.exp(scratch[k] - max);
        }
        return max + Math.log(sum);
    }

    private static double[] neighbourBandwidths(double[] mus) {
        int n = mus.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        double[] ext = new double[n + 2];
        ext[n + 1] = 1;
        for (int i = 0; i < n; i++) {
            ext[i + 1] = mus[order[i]];
        }
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = Math.max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1]);
        }
        if (n >= 2) {
            sorted[0] = ext[2] - ext[1];
            sorted[n - 1] = ext[n] - ext[n - 1];
        }
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            sigmas[order[i]] = sorted[i];
        }
        return sigmas;
    }
}
