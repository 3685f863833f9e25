package io.gradtune.driver.search;

/**
 * Expected improvement below an incumbent, for minimization, computed in log space so that candidates far
 * from the incumbent still rank correctly instead of all underflowing to 0 (the "LogEI" of Ament et al.
 * 2023): log EI = log σ + log h(z), z = (best − μ)/σ, h(z) = φ(z) + z Φ(z).
 */
final class ExpectedImprovement {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private ExpectedImprovement() {
    }

    /**
     * @param mean     posterior mean
     * @param variance posterior variance (positive)
     * @param best     incumbent (lowest) value
     */
    static double log(double mean, double variance, double best) {
        double sigma = Math.sqrt(variance);
        return Math.log(sigma) + logH((best - mean) / sigma);
    }

    /** log(φ(z) + z Φ(z)); an asymptotic series below z = −8, where the direct sum cancels. */
    static double logH(double z) {
        if (z > -8) {
            double h = Math.exp(-0.5 * z * z - LOG_SQRT_2PI) + z * TruncatedNormal.cdf(z);
            return Math.log(Math.max(h, 1e-300));
        }
        // Φ(z) ~ φ(z)/|z| (1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸) ⇒ h(z) ~ φ(z)/z² (1 − 3/z² + 15/z⁴ − 105/z⁶)
        double z2 = z * z;
        double series = 1 - 3 / z2 + 15 / (z2 * z2) - 105 / (z2 * z2 * z2);
        return -0.5 * z2 - LOG_SQRT_2PI - Math.log(z2) + Math.log(series);
    }
}
