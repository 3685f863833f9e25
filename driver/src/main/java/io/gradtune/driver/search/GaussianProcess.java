package io.gradtune.driver.search;

/**
 * The posterior of a zero-mean Gaussian process with a {@link Matern52} kernel and Gaussian noise, given
 * training inputs (unit cube) and standardized outputs. Fitting costs one Cholesky factorization, O(n³);
 * a prediction costs O(n D) for the mean and a triangular solve, O(n²), for the variance.
 */
final class GaussianProcess {

    /**
     * Candidates per block in the batched {@link #predict(double[][], double[], double[])}: 32 columns of 150-400
     * training points are 40-100 KB, which stays in the L2 cache while the solve sweeps it n times.
     */
    private static final int BLOCK = 32;

    private final double[][] x;
    private final Matern52 kernel;
    private final double noise;
    private final Cholesky chol;
    private final double[] alpha;
    private final double[] y;

    private GaussianProcess(double[][] x, double[] y, Matern52 kernel, double noise, Cholesky chol) {
        this.x = x;
        this.y = y;
        this.kernel = kernel;
        this.noise = noise;
        this.chol = chol;
        this.alpha = chol.solve(y);
    }

    /**
     * Conditions the prior on (x, y). When the kernel matrix is not numerically positive definite (near
     * duplicates with a tiny noise), the diagonal is raised tenfold at a time until it is.
     */
    static GaussianProcess fit(double[][] x, double[] y, GpHyperparameters h) {
        Matern52 kernel = h.kernel();
        int n = x.length;
        double[][] k = new double[n][];
        for (int i = 0; i < n; i++) {
            k[i] = new double[i + 1];
            for (int j = 0; j < i; j++) {
                k[i][j] = kernel.value(x[i], x[j]);
            }
        }
        double noise = h.noiseVariance() + MarginalLikelihood.JITTER;
        for (int attempt = 0; ; attempt++) {
            for (int i = 0; i < n; i++) {
                k[i][i] = kernel.signalVariance() + noise;
            }
            Cholesky chol = Cholesky.factor(k);
            if (chol != null) {
                return new GaussianProcess(x.clone(), y.clone(), kernel, noise, chol);
            }
            if (attempt == 12) {
                throw new IllegalStateException("kernel matrix not positive definite even with noise " + noise);
            }
            noise *= 10;
        }
    }

    int size() {
        return x.length;
    }

    /** Posterior mean of the latent function at {@code q}. */
    double mean(double[] q) {
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m += kernel.value(q, x[i]) * alpha[i];
        }
        return m;
    }

    /**
     * Posterior mean and variance of the latent function (without observation noise) at {@code q}.
     *
     * @param out receives {mean, variance}; the variance is at least 1e-12 s²
     */
    void predict(double[] q, double[] out) {
        int n = x.length;
        double[] k = new double[n];
        double m = 0;
        for (int i = 0; i < n; i++) {
            k[i] = kernel.value(q, x[i]);
            m += k[i] * alpha[i];
        }
        double[] v = chol.forward(k);
        double explained = 0;
        for (int i = 0; i < n; i++) {
            explained += v[i] * v[i];
        }
        out[0] = m;
        out[1] = Math.max(kernel.signalVariance() - explained, 1e-12 * kernel.signalVariance());
    }

    /**
     * {@link #predict} for many points, in blocks of {@link #BLOCK}: each block's cross-covariances are one n × BLOCK
     * matrix (a row per training point, a column per candidate) solved against the Cholesky factor in one pass
     * ({@link Cholesky#forwardColumns}), whose inner loops run along the candidates and vectorize. The means are
     * computed exactly as {@link #predict(double[], double[])} computes them; the variances agree with it to rounding
     * (the sums run in another order), see GaussianProcessTest.
     *
     * @param means     receives the posterior means
     * @param variances receives the posterior variances
     */
    void predict(double[][] qs, double[] means, double[] variances) {
        int n = x.length;
        double floor = 1e-12 * kernel.signalVariance();
        double[] kc = new double[n];
        double[][] k = new double[n][BLOCK];
        double[] explained = new double[BLOCK];
        for (int start = 0; start < qs.length; start += BLOCK) {
            int size = Math.min(BLOCK, qs.length - start);
            for (int c = 0; c < size; c++) {
                double[] q = qs[start + c];
                for (int i = 0; i < n; i++) {
                    kc[i] = kernel.value(q, x[i]);
                    k[i][c] = kc[i];
                }
                means[start + c] = Cholesky.dot(kc, alpha, n);
            }
            chol.forwardColumns(k, size);
            java.util.Arrays.fill(explained, 0);
            for (int i = 0; i < n; i++) {
                double[] ki = k[i];
                for (int c = 0; c < size; c++) {
                    explained[c] += ki[c] * ki[c];
                }
            }
            for (int c = 0; c < size; c++) {
                variances[start + c] = Math.max(kernel.signalVariance() - explained[c], floor);
            }
        }
    }

    /** Posterior means at the training inputs, y − σ² α: cheap, no new solves. */
    double[] trainingMeans() {
        double[] m = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            m[i] = y[i] - noise * alpha[i];
        }
        return m;
    }
}
