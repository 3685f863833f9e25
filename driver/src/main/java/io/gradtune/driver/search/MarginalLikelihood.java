package io.gradtune.driver.search;

/**
 * log p(y | X, θ) of a zero-mean Gaussian process with a {@link Matern52} kernel plus Gaussian noise, and its
 * gradient with respect to θ ({@link GpHyperparameters} layout). One evaluation costs a Cholesky
 * factorization and an inverse, O(n³), plus O(n² D) for the gradient. Pairwise squared differences are
 * computed once per data set.
 */
final class MarginalLikelihood {

    /** Added to the diagonal on top of the noise, for numerical safety. */
    static final double JITTER = 1e-9;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] y;
    private final int n;
    private final int dims;
    /** squared differences per dimension, for each pair i > j at index i(i−1)/2 + j */
    private final double[][] squaredDiffs;

    MarginalLikelihood(double[][] x, double[] y) {
        this.y = y.clone();
        this.n = x.length;
        this.dims = n == 0 ? 0 : x[0].length;
        this.squaredDiffs = new double[dims][n * (n - 1) / 2];
        for (int i = 0, p = 0; i < n; i++) {
            for (int j = 0; j < i; j++, p++) {
                for (int d = 0; d < dims; d++) {
                    double diff = x[i][d] - x[j][d];
                    squaredDiffs[d][p] = diff * diff;
                }
            }
        }
    }

    /**
     * @param h    hyperparameters
     * @param grad receives ∂/∂θ (length D + 2), or null when not needed
     * @return log marginal likelihood, or −∞ when the kernel matrix is not numerically positive definite
     */
    double value(GpHyperparameters h, double[] grad) {
        double s2 = h.signalVariance();
        double noise = h.noiseVariance();
        double[] invL2 = new double[dims];
        for (int d = 0; d < dims; d++) {
            double l = h.lengthscale(d);
            invL2[d] = 1 / (l * l);
        }
        int pairs = n * (n - 1) / 2;
        double[] kf = new double[pairs];
        double[] factor = grad == null ? null : new double[pairs];
        double[][] k = new double[n][];
        for (int i = 0, p = 0; i < n; i++) {
            double[] ki = new double[i + 1];
            for (int j = 0; j < i; j++, p++) {
                double r2 = 0;
                for (int d = 0; d < dims; d++) {
                    r2 += squaredDiffs[d][p] * invL2[d];
                }
                double r = Math.sqrt(r2);
                double e = Math.exp(-Matern52.SQRT5 * r);
                kf[p] = s2 * (1 + Matern52.SQRT5 * r + 5.0 / 3.0 * r2) * e;
                ki[j] = kf[p];
                if (factor != null) {
                    factor[p] = s2 * (5.0 / 3.0) * (1 + Matern52.SQRT5 * r) * e;
                }
            }
            ki[i] = s2 + noise + JITTER;
            k[i] = ki;
        }
        Cholesky chol = Cholesky.factor(k);
        if (chol == null) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = chol.solve(y);
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += y[i] * alpha[i];
        }
        double lml = -0.5 * fit - 0.5 * chol.logDeterminant() - 0.5 * n * LOG_2PI;
        if (grad != null) {
            gradient(chol.inverseLower(), alpha, kf, factor, invL2, s2, noise, grad);
        }
        return lml;
    }

    /** ∂ lml/∂θ_k = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_k), summing each symmetric pair once, twice weighted. */
    private void gradient(double[][] inverse, double[] alpha, double[] kf, double[] factor, double[] invL2,
                          double s2, double noise, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        double trace = 0;
        double signal = 0;
        double[] ls = new double[dims];
        for (int i = 0, p = 0; i < n; i++) {
            double wii = alpha[i] * alpha[i] - inverse[i][i];
            trace += wii;
            signal += wii * s2;
            double[] inv = inverse[i];
            for (int j = 0; j < i; j++, p++) {
                double w = alpha[i] * alpha[j] - inv[j];
                signal += 2 * w * kf[p];
                double wf = w * factor[p];
                for (int d = 0; d < dims; d++) {
                    ls[d] += wf * squaredDiffs[d][p];
                }
            }
        }
        grad[0] = 0.5 * signal;
        for (int d = 0; d < dims; d++) {
            grad[1 + d] = ls[d] * invL2[d];
        }
        grad[dims + 1] = 0.5 * noise * trace;
    }
}
