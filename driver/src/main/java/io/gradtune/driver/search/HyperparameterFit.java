package io.gradtune.driver.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits {@link GpHyperparameters} by maximizing the log marginal likelihood plus weak log priors (a MAP
 * estimate), within box bounds in log space, with Rprop (sign-based gradient ascent with per-coordinate
 * adaptive steps; robust to the badly scaled gradients of GP likelihoods). Several starts, the best wins.
 *
 * <p>Bounds and priors, for inputs in [0, 1]^D and standardized outputs:
 * <ul>
 *   <li>lengthscales ℓ in [0.01, 20], prior Gamma(3, 6) (mode 1/3, as BoTorch's classic default);</li>
 *   <li>signal variance s² in [0.05, 20], prior log s² ~ N(0, 1);</li>
 *   <li>noise variance in [1e-8, 1] (no prior: deterministic objectives can drive it to the floor).</li>
 * </ul>
 */
final class HyperparameterFit {

    static final double MIN_LENGTHSCALE = 0.01;
    static final double MAX_LENGTHSCALE = 20;
    static final double MIN_SIGNAL = 0.05;
    static final double MAX_SIGNAL = 20;
    static final double MIN_NOISE = 1e-8;
    static final double MAX_NOISE = 1;

    private static final double LENGTHSCALE_SHAPE = 3;
    private static final double LENGTHSCALE_RATE = 6;
    private static final double SIGNAL_LOG_SD = 1;

    private static final double INITIAL_STEP = 0.2;
    private static final double MAX_STEP = 1;
    private static final double MIN_STEP = 1e-6;
    private static final double TOLERANCE = 1e-3;

    private HyperparameterFit() {
    }

    /**
     * @param x          inputs in the unit cube
     * @param y          standardized outputs
     * @param warm       previous fit to start from (may be null)
     * @param random     source of the random starts
     * @param starts     number of starts: the warm one (if any), the default one, then random ones
     * @param iterations Rprop iterations per start
     */
    static GpHyperparameters fit(double[][] x, double[] y, GpHyperparameters warm, SplittableRandom random,
                                 int starts, int iterations) {
        int dims = x[0].length;
        MarginalLikelihood lml = new MarginalLikelihood(x, y);
        List<double[]> initial = new ArrayList<>();
        if (warm != null && warm.dims() == dims) {
            initial.add(clamp(warm.theta().clone(), dims));
        }
        initial.add(GpHyperparameters.of(dims, 0.3, 1e-4).theta());
        while (initial.size() < starts) {
            double[] t = new double[dims + 2];
            t[0] = random.nextDouble(-1, 1);
            for (int d = 0; d < dims; d++) {
                t[1 + d] = Math.log(0.05) + random.nextDouble() * (Math.log(2) - Math.log(0.05));
            }
            t[dims + 1] = Math.log(1e-6) + random.nextDouble() * (Math.log(1e-1) - Math.log(1e-6));
            initial.add(t);
        }
        GpHyperparameters best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < Math.max(1, Math.min(starts, initial.size())); s++) {
            double[] theta = initial.get(s);
            double[] result = new double[1];
            GpHyperparameters h = rprop(lml, theta, iterations, result);
            if (best == null || result[0] > bestValue) {
                best = h;
                bestValue = result[0];
            }
        }
        return best;
    }

    /** Log marginal likelihood plus log priors; gradient into {@code grad}. */
    static double objective(MarginalLikelihood lml, double[] theta, double[] grad) {
        GpHyperparameters h = new GpHyperparameters(theta);
        double v = lml.value(h, grad);
        if (v == Double.NEGATIVE_INFINITY) {
            return v;
        }
        int dims = theta.length - 2;
        // Gamma(a, b) on ℓ, as a density of log ℓ: a log ℓ − b ℓ
        for (int d = 0; d < dims; d++) {
            double l = Math.exp(theta[1 + d]);
            v += LENGTHSCALE_SHAPE * theta[1 + d] - LENGTHSCALE_RATE * l;
            grad[1 + d] += LENGTHSCALE_SHAPE - LENGTHSCALE_RATE * l;
        }
        v -= 0.5 * theta[0] * theta[0] / (SIGNAL_LOG_SD * SIGNAL_LOG_SD);
        grad[0] -= theta[0] / (SIGNAL_LOG_SD * SIGNAL_LOG_SD);
        return v;
    }

    /** iRprop⁻ ascent from {@code start}; returns the best point seen, its objective in {@code value[0]}. */
    private static GpHyperparameters rprop(MarginalLikelihood lml, double[] start, int iterations, double[] value) {
        int m = start.length;
        double[] theta = clamp(start.clone(), m - 2);
        double[] grad = new double[m];
        double f = objective(lml, theta, grad);
        double[] best = theta.clone();
        double bestF = f;
        if (f == Double.NEGATIVE_INFINITY) {
            value[0] = f;
            return new GpHyperparameters(best);
        }
        double[] steps = new double[m];
        java.util.Arrays.fill(steps, INITIAL_STEP);
        double[] previous = new double[m];
        double[] candidate = new double[m];
        double[] candidateGrad = new double[m];
        for (int it = 0; it < iterations; it++) {
            double largest = 0;
            for (int i = 0; i < m; i++) {
                if (atBound(theta, i, grad[i])) {
                    grad[i] = 0;
                    previous[i] = 0;
                    candidate[i] = theta[i];
                    continue;
                }
                double sign = grad[i] * previous[i];
                if (sign > 0) {
                    steps[i] = Math.min(steps[i] * 1.2, MAX_STEP);
                } else if (sign < 0) {
                    steps[i] = Math.max(steps[i] * 0.5, MIN_STEP);
                    grad[i] = 0;
                }
                candidate[i] = theta[i] + Math.signum(grad[i]) * steps[i];
                largest = Math.max(largest, steps[i]);
            }
            clamp(candidate, m - 2);
            System.arraycopy(grad, 0, previous, 0, m);
            double fc = objective(lml, candidate, candidateGrad);
            if (fc == Double.NEGATIVE_INFINITY) {
                for (int i = 0; i < m; i++) {
                    steps[i] = Math.max(steps[i] * 0.5, MIN_STEP);
                }
                java.util.Arrays.fill(previous, 0);
                continue;
            }
            System.arraycopy(candidate, 0, theta, 0, m);
            System.arraycopy(candidateGrad, 0, grad, 0, m);
            f = fc;
            if (f > bestF) {
                bestF = f;
                System.arraycopy(theta, 0, best, 0, m);
            }
            if (largest < TOLERANCE) {
                break;
            }
        }
        value[0] = bestF;
        return new GpHyperparameters(best);
    }

    /** True when coordinate {@code i} sits on a bound and the gradient pushes it outwards. */
    private static boolean atBound(double[] theta, int i, double g) {
        int dims = theta.length - 2;
        double lo;
        double hi;
        if (i == 0) {
            lo = Math.log(MIN_SIGNAL);
            hi = Math.log(MAX_SIGNAL);
        } else if (i <= dims) {
            lo = Math.log(MIN_LENGTHSCALE);
            hi = Math.log(MAX_LENGTHSCALE);
        } else {
            lo = Math.log(MIN_NOISE);
            hi = Math.log(MAX_NOISE);
        }
        return theta[i] <= lo && g < 0 || theta[i] >= hi && g > 0;
    }

    private static double[] clamp(double[] theta, int dims) {
        theta[0] = clamp(theta[0], Math.log(MIN_SIGNAL), Math.log(MAX_SIGNAL));
        for (int d = 0; d < dims; d++) {
            theta[1 + d] = clamp(theta[1 + d], Math.log(MIN_LENGTHSCALE), Math.log(MAX_LENGTHSCALE));
        }
        theta[dims + 1] = clamp(theta[dims + 1], Math.log(MIN_NOISE), Math.log(MAX_NOISE));
        return theta;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
