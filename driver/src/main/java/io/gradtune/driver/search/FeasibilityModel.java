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
 * <p>Prior knowledge ({@code search.prior: tutorials}): with a {@link PathologyPrior}, the latent prior mean is no longer
 * 0 but m(x) = Φ⁻¹(1 − p(x)), p(x) the prior probability that x is pathological, and the GP is fitted to the labels'
 * residuals y − m(x). With no trial yet, P(feasible | x) = Φ(m(x) / s) = 1 − p(x) at a unit signal variance s² (the
 * default before two labels are known); where trials have run, the residual GP moves the latent mean towards their
 * labels, so an observed feasible trial in a region the prior distrusts makes it likely feasible there, and an
 * infeasible one in a region the prior trusts likely infeasible: feedback overrides the prior locally, the prior
 * decides only where nothing has been tried.
 *
 * <p>Built only when the history holds at least one INFEASIBLE trial or a prior is given ({@link #of}); without
 * either the sampler ranks by EI alone, as before. Deterministic given the trials and the random source (which the hyperparameter fit draws
 * from only for its random starts).
 */
final class FeasibilityModel {

    /** Hyperparameters while fewer than two labels are known: unit signal variance, lengthscale 0.3, small noise. */
    private static final double DEFAULT_LENGTHSCALE = 0.3;
    private static final double DEFAULT_NOISE = 0.01;
    /** Prior probabilities are clipped to [CLIP, 1 − CLIP] before Φ⁻¹. */
    private static final double CLIP = 1e-3;

    private final GaussianProcess gp;
    private final GpHyperparameters hyperparameters;
    private final PathologyPrior prior;
    private final UnitCubeEncoding encoding;

    private FeasibilityModel(GaussianProcess gp, GpHyperparameters hyperparameters, PathologyPrior prior,
                             UnitCubeEncoding encoding) {
        this.gp = gp;
        this.hyperparameters = hyperparameters;
        this.prior = prior;
        this.encoding = encoding;
    }

    /** The model without a prior (see {@link #of(List, UnitCubeEncoding, PathologyPrior, int, int, GpHyperparameters, SplittableRandom, int, int)}). */
    static Optional<FeasibilityModel> of(List<Observation> finished, UnitCubeEncoding encoding,
                                         int cap, int fitCap, GpHyperparameters warm, SplittableRandom random,
                                         int starts, int iterations) {
        return of(finished, encoding, null, cap, fitCap, warm, random, starts, iterations);
    }

    /**
     * The model of the usable trials among {@code finished}, or empty when none is INFEASIBLE and there is no prior.
     *
     * @param prior      the prior mean's source, or null for a zero prior mean
     * @param cap        trials conditioned on at most; beyond it, a subset ({@link GpTrainingSet#select} with the
     *                   infeasible trials ranked first, so up to half the cap is infeasible trials)
     * @param fitCap     trials the hyperparameters are fitted on at most (a subset of those, chosen the same way)
     * @param warm       the previous fit to start the hyperparameter search from, or null
     * @param starts     hyperparameter-fit starts (see {@link HyperparameterFit#fit})
     * @param iterations Rprop iterations per start
     */
    static Optional<FeasibilityModel> of(List<Observation> finished, UnitCubeEncoding encoding, PathologyPrior prior,
                                         int cap, int fitCap, GpHyperparameters warm, SplittableRandom random,
                                         int starts, int iterations) {
        List<Observation> usable = finished.stream().filter(o -> o.kind() != Observation.Kind.FAILED).toList();
        boolean infeasible = usable.stream().anyMatch(o -> o.kind() == Observation.Kind.INFEASIBLE);
        if (encoding.dims() == 0 || (!infeasible && prior == null)) {
            return Optional.empty();
        }
        double[] all = new double[usable.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = usable.get(i).kind() == Observation.Kind.INFEASIBLE ? -1 : 1;
        }
        int[] keep = GpTrainingSet.select(all, cap);
        double[][] x = new double[keep.length][];
        double[] labels = new double[keep.length];
        double[] residuals = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            Observation o = usable.get(keep[i]);
            x[i] = encoding.encode(o.params());
            labels[i] = all[keep[i]];
            residuals[i] = labels[i] - priorMean(prior, o.params());
        }
        if (keep.length < 2) {
            GpHyperparameters h = GpHyperparameters.of(encoding.dims(), DEFAULT_LENGTHSCALE, DEFAULT_NOISE);
            GaussianProcess gp = keep.length == 0 ? null : GaussianProcess.fit(x, residuals, h);
            return Optional.of(new FeasibilityModel(gp, h, prior, encoding));
        }
        int[] fit = GpTrainingSet.select(labels, fitCap);
        double[][] fx = new double[fit.length][];
        double[] fy = new double[fit.length];
        for (int i = 0; i < fit.length; i++) {
            fx[i] = x[fit[i]];
            fy[i] = residuals[fit[i]];
        }
        GpHyperparameters h = HyperparameterFit.fit(fx, fy, warm, random, starts, iterations);
        return Optional.of(new FeasibilityModel(GaussianProcess.fit(x, residuals, h), h, prior, encoding));
    }

    /** The fitted hyperparameters (to warm-start the next fit). */
    GpHyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** log P(feasible | x) for each point (unit cube). */
    double[] logProbability(double[][] points) {
        double[] mean = new double[points.length];
        double[] variance = new double[points.length];
        if (gp == null) {
            java.util.Arrays.fill(variance, hyperparameters.signalVariance());
        } else {
            gp.predict(points, mean, variance);
        }
        double[] out = new double[points.length];
        for (int i = 0; i < out.length; i++) {
            double m = prior == null ? 0 : priorMean(prior, encoding.decode(points[i]));
            out[i] = logCdf((m + mean[i]) / Math.sqrt(variance[i]));
        }
        return out;
    }

    /** P(feasible | x) at one point. */
    double probability(double[] point) {
        return Math.exp(logProbability(new double[][] {point})[0]);
    }

    /** The latent prior mean Φ⁻¹(1 − p) of an assignment, p its prior probability of pathology; 0 without a prior. */
    static double priorMean(PathologyPrior prior, java.util.Map<String, Object> params) {
        if (prior == null) {
            return 0;
        }
        double p = Math.min(1 - CLIP, Math.max(CLIP, prior.pathological(params)));
        return inverseCdf(1 - p);
    }

    /** Φ⁻¹(q) for q in (0, 1), by bisection on Φ (to 1e-9 in z). */
    static double inverseCdf(double q) {
        double lo = -9;
        double hi = 9;
        while (hi - lo > 1e-9) {
            double mid = 0.5 * (lo + hi);
            if (TruncatedNormal.cdf(mid) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
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
