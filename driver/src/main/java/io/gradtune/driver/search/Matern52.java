package io.gradtune.driver.search;

/**
 * The Matérn 5/2 kernel with one lengthscale per input dimension (ARD):
 * k(a, b) = s² (1 + √5 r + 5r²/3) exp(−√5 r), with r² = Σ_d ((a_d − b_d) / ℓ_d)².
 * Twice differentiable, so less smooth than the squared exponential: a common default for hyperparameter
 * response surfaces (Snoek et al. 2012).
 */
final class Matern52 {

    static final double SQRT5 = Math.sqrt(5);

    private final double signalVariance;
    private final double[] inverseSquaredLengthscales;

    /**
     * @param signalVariance s², the prior variance of the function
     * @param lengthscales   ℓ_d, one per input dimension
     */
    Matern52(double signalVariance, double[] lengthscales) {
        this.signalVariance = signalVariance;
        this.inverseSquaredLengthscales = new double[lengthscales.length];
        for (int d = 0; d < lengthscales.length; d++) {
            inverseSquaredLengthscales[d] = 1 / (lengthscales[d] * lengthscales[d]);
        }
    }

    double signalVariance() {
        return signalVariance;
    }

    /** k(a, b). */
    double value(double[] a, double[] b) {
        double r2 = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            r2 += diff * diff * inverseSquaredLengthscales[d];
        }
        return ofSquaredDistance(r2);
    }

    /** k as a function of the scaled squared distance r². */
    double ofSquaredDistance(double r2) {
        double r = Math.sqrt(r2);
        return signalVariance * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
    }
}
