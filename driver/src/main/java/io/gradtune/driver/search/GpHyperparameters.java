package io.gradtune.driver.search;

import java.util.Arrays;

/**
 * The kernel hyperparameters of a {@link GaussianProcess}, in the log space where they are fitted:
 * θ = [log s², log ℓ_1 … log ℓ_D, log σ²_noise], for outputs standardized to mean 0 and variance 1 and
 * inputs in the unit cube.
 *
 * @param theta the log-space vector, length D + 2
 */
record GpHyperparameters(double[] theta) {

    GpHyperparameters {
        theta = theta.clone();
    }

    /** s² = 1, every ℓ = {@code lengthscale}, σ²_noise = {@code noise}. */
    static GpHyperparameters of(int dims, double lengthscale, double noise) {
        double[] t = new double[dims + 2];
        Arrays.fill(t, 1, dims + 1, Math.log(lengthscale));
        t[dims + 1] = Math.log(noise);
        return new GpHyperparameters(t);
    }

    int dims() {
        return theta.length - 2;
    }

    double signalVariance() {
        return Math.exp(theta[0]);
    }

    double lengthscale(int d) {
        return Math.exp(theta[1 + d]);
    }

    double[] lengthscales() {
        double[] l = new double[dims()];
        for (int d = 0; d < l.length; d++) {
            l[d] = lengthscale(d);
        }
        return l;
    }

    double noiseVariance() {
        return Math.exp(theta[theta.length - 1]);
    }

    Matern52 kernel() {
        return new Matern52(signalVariance(), lengthscales());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpHyperparameters h && Arrays.equals(theta, h.theta);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(theta);
    }

    @Override
    public String toString() {
        return String.format("s2=%.3g l=%s noise=%.3g", signalVariance(),
                Arrays.toString(Arrays.stream(lengthscales()).map(x -> Math.round(x * 1000) / 1000.0).toArray()),
                noiseVariance());
    }
}
