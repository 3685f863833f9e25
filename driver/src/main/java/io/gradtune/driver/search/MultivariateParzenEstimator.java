package io.gradtune.driver.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A weighted mixture of product kernels on [0, 1]^d, one per observation plus a wide prior at the centre:
 * the joint density of multivariate TPE (Falkner et al. 2018; Optuna's {@code multivariate=True}). It lets
 * TPE learn interactions between numeric parameters that the per-parameter estimators cannot see.
 * Bandwidths follow Optuna's multivariate rule, a Scott-style 0.2 * n^(-1/(d+4)) in every dimension,
 * clipped below at 1 / min(100, n + 1); the prior's width is 1.
 */
final class MultivariateParzenEstimator {

    private static final double SIGMA0 = 0.2;

    private final double[][] mus;
    private final double[] sigmas;
    private final double[] cumulative;
    private final double[] logCoefficients;
    private final double[] scratch;

    private MultivariateParzenEstimator(double[][] mus, double[] sigmas, double[] weights) {
        int n = mus.length;
        int d = mus[0].length;
        this.mus = mus;
        this.sigmas = sigmas;
        this.cumulative = new double[n];
        this.logCoefficients = new double[n];
        double total = Arrays.stream(weights).sum();
        double running = 0;
        for (int k = 0; k < n; k++) {
            running += weights[k] / total;
            cumulative[k] = running;
            double c = Math.log(weights[k] / total);
            for (int j = 0; j < d; j++) {
                c -= Math.log(sigmas[k]) + TruncatedNormal.logMass(mus[k][j], sigmas[k])
                        + TruncatedNormal.LOG_SQRT_2PI;
            }
            logCoefficients[k] = c;
        }
        this.scratch = new double[n];
    }

    /**
     * @param observed    n points in [0, 1]^d (d at least 1)
     * @param weights     one weight per point
     * @param priorWeight weight of the prior component N(0.5, 1)^d
     */
    static MultivariateParzenEstimator fit(double[][] observed, double[] weights, int d, double priorWeight) {
        int n = observed.length + 1;
        double[][] mus = Arrays.copyOf(observed, n);
        mus[n - 1] = new double[d];
        Arrays.fill(mus[n - 1], 0.5);
        double[] w = Arrays.copyOf(weights, n);
        w[n - 1] = priorWeight;
        double sigma = SIGMA0 * Math.pow(Math.max(observed.length, 1), -1.0 / (d + 4));
        double[] sigmas = new double[n];
        Arrays.fill(sigmas, Math.min(1, Math.max(1.0 / Math.min(100, n + 1), sigma)));
        sigmas[n - 1] = 1;
        return new MultivariateParzenEstimator(mus, sigmas, w);
    }

    /** One draw: pick a component by weight, then draw each coordinate from its truncated Gaussian. */
    double[] sample(SplittableRandom random) {
        int k = Arrays.binarySearch(cumulative, random.nextDouble());
        k = Math.min(k >= 0 ? k : -k - 1, mus.length - 1);
        double[] x = new double[mus[k].length];
        for (int j = 0; j < x.length; j++) {
            x[j] = TruncatedNormal.sample(mus[k][j], sigmas[k], random);
        }
        return x;
    }

    /** log density at x in [0, 1]^d, by log-sum-exp over the components. */
    double logPdf(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < mus.length; k++) {
            double[] mu = mus[k];
            double inv = 1 / sigmas[k];
            double sq = 0;
            for (int j = 0; j < x.length; j++) {
                double z = (x[j] - mu[j]) * inv;
                sq += z * z;
            }
            scratch[k] = logCoefficients[k] - 0.5 * sq;
            max = Math.max(max, scratch[k]);
        }
        double sum = 0;
        for (int k = 0; k < mus.length; k++) {
            sum += Math.exp(scratch[k] - max);
        }
        return max + Math.log(sum);
    }
}
