package io.gradtune.driver.search;

import java.util.SplittableRandom;

/** Normal-distribution arithmetic on [0, 1], the unit space in which TPE fits its Parzen estimators. */
final class TruncatedNormal {

    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private TruncatedNormal() {
    }

    /** Standard normal CDF, absolute error below 1e-7 (Numerical Recipes' erfc). */
    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** log of the mass that N(mu, sigma) puts on [0, 1]. */
    static double logMass(double mu, double sigma) {
        return Math.log(Math.max(cdf((1 - mu) / sigma) - cdf(-mu / sigma), 1e-300));
    }

    /** A draw from N(mu, sigma) restricted to [0, 1], by rejection (mu lies in [0, 1], so few retries). */
    static double sample(double mu, double sigma, SplittableRandom random) {
        for (int i = 0; i < 1000; i++) {
            double x = mu + sigma * random.nextGaussian();
            if (x >= 0 && x <= 1) {
                return x;
            }
        }
        return Math.min(1, Math.max(0, mu));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
