package io.gradtune.driver.search;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The probability that a point is feasible, for constrained expected improvement, EI(x) · P(feasible | x) (Gardner et
 * al. 2014, "Bayesian optimization with inequality constraints"): a second Gaussian process, on feasibility labels,
 * so that a {@link GpSampler} keeps away from regions shown to diverge or to explode or vanish even where its objective
 * model is still uncertain there.
 *
 * <p>Labels: +1 for every usable trial (COMPLETED or PRUNED), −1 for an INFEASIBLE one; FAILED trials are left out.
 * The label GP has a zero prior mean (a point far from every trial is feasible with probability 1/2, whatever the
 * history's mix), a {@link Matern52} ARD kernel in the {@link UnitCubeEncoding}, and hyperparameters fitted to the
 * labels by maximizing the marginal likelihood ({@link HyperparameterFit}), as the objective's are; its latent
 * posterior at x is N(μ(x), σ²(x)), and P(feasible | x) = Φ(μ(x) / σ(x)), the probability that the latent label is
 * positive (the probit link of a label-regression classifier). Near a feasible trial this tends to 1, near an
 * infeasible one to 0, and with nothing nearby to 1/2; as only the ranking of candidates matters, the constant factor
 * far from the data steers nowhere.
 *
 * <p>Built only when the history holds at least one INFEASIBLE trial ({@link #of}); without one the sampler ranks by
 * EI alone, as before. Deterministic given the trials and the random source (which the hyperparameter fit draws
 * from only for its random starts).
 */
final class FeasibilityModel {

    private final GaussianProcess gp;
    private final GpHyperparameters hyperparameters;

    private FeasibilityModel(GaussianProcess gp, GpHyperparameters hyperparameters) {
        this.gp = gp;
        this.hyperparameters = hyperparameters;
    }

    /**
     * The model of the usable trials among {@code finished}, or empty when none is INFEASIBLE.
     *
     * @param cap        trials conditioned on at most; beyond it, a subset ({@link GpTrainingSet#select} with the
     *                   infeasible trials ranked first, so up to half the cap is infeasible trials)
     * @param fitCap     trials the hyperparameters are fitted on at most (a subset of those, chosen the same way)
     * @param warm       the previous fit to start the hyperparameter search from, or null
     * @param starts     hyperparameter-fit starts (see {@link HyperparameterFit#fit})
     * @param iterations Rprop iterations per start
     */
    static Optional<FeasibilityModel> of(List<Observation> finished, UnitCubeEncoding encoding,
                                         int cap, int fitCap, GpHyperparameters warm, SplittableRandom random,
                                         int starts, int iterations) {
        List<Observation> usable = finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).toList();
        if (usable.stream().noneMatch(o -> o.kind() == Observation.Kind.INFEASIBLE) || encoding.dims() == 0) {
            return Optional.empty();
        }
        double[] all = new double[usable.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = usable.get(i).kind() == Observation.Kind.INFEASIBLE ? -1 : 1;
        }
        int[] keep = GpTrainingSet.select(all, cap);
        double[][] x = new double[keep.length][];
        double[] labels = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            x[i] = encoding.encode(usable.get(keep[i]).params());
            labels[i] = all[keep[i]];
        }
        int[] fit = GpTrainingSet.select(labels, fitCap);
        double[][] fx = new double[fit.length][];
        double[] fy = new double[fit.length];
        for (int i = 0; i < fit.length; i++) {
            fx[i] = x[fit[i]];
            fy[i] = labels[fit[i]];
        }
        GpHyperparameters h = HyperparameterFit.fit(fx, fy, warm, random, starts, iterations);
        return Optional.of(new FeasibilityModel(GaussianProcess.fit(x, labels, h), h));
    }

    /** The fitted hyperparameters (to warm-start the next fit). */
    GpHyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** log P(feasible | x) for each point (unit cube). */
    double[] logProbability(double[][] points) {
        double[] mean = new double[points.length];
        double[] variance = new double[points.length];
        gp.predict(points, mean, variance);
        double[] out = new double[points.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logCdf(mean[i] / Math.sqrt(variance[i]));
        }
        return out;
    }

    /** P(feasible | x) at one point. */
    double probability(double[] point) {
        return Math.exp(logProbability(new double[][] {point})[0]);
    }

    /** log Φ(z); below z = −8, the asymptotic series log(φ(z)/|z| (1 − 1/z² + 3/z⁴ − 15/z⁶)). */
    static double logCdf(double z) {
        if (z > -8) {
            return Math.log(Math.max(TruncatedNormal.cdf(z), 1e-300));
        }
        double z2 = z * z;
        double series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2);
        return -0.5 * z2 - TruncatedNormal.LOG_SQRT_2PI - Math.log(-z) + Math.log(series);
    }
}
