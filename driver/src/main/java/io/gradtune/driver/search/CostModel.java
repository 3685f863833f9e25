package io.gradtune.driver.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What an epoch costs where no trial has run yet, learned from the study's own trials, for the cost-aware
 * acquisition of {@link GpSampler} ({@code search.cost_aware: true}): expected improvement per second, EI(x) / c(x)
 * (Snoek, Larochelle and Adams 2012, "Practical Bayesian Optimization of Machine Learning Algorithms", sec. 3.2),
 * ranked in log space as log EI(x) − log c(x).
 *
 * <p>The model: a Gaussian process with a {@link Matern52} ARD kernel in the {@link UnitCubeEncoding} on the log
 * seconds per epoch ({@link Observation#secondsPerEpoch}) of the most recent {@link #MAX_POINTS} trials whose cost is
 * known (completed, pruned, infeasible or failed alike: an epoch's price does not depend on how the trial ended),
 * outputs standardized; only its posterior mean is used, O(n D) per candidate with n at most {@link #MAX_POINTS}.
 * Its hyperparameters are fitted by maximizing the marginal likelihood ({@link HyperparameterFit}), and fitted again
 * only once the trials with a cost have grown by {@link #REFIT_GROWTH} since the last fit (in between, the GP is
 * conditioned on the new trials with the old hyperparameters), so a long study pays for a fit about
 * log(n) / log(1.2) times. Predictions are clipped to the range of the observed costs (a GP's mean can overshoot
 * between trials; nothing is cheaper than the cheapest trial seen).
 *
 * <p>No model ({@link #fit} empty, so the sampler ranks by plain EI) while fewer than {@link #MIN_POINTS} trials
 * have a cost (the first trials, a warm start, whose trials ran elsewhere, a resumed study's first proposals) or when
 * the costs hardly differ (standard deviation of log cost below {@link #MIN_LOG_SPREAD}: every trial costs the same,
 * as in a synthetic benchmark). Deterministic given the trials and the seed; it draws from its own random source, so
 * the objective model's proposals are those of plain EI whenever this model is empty.
 */
final class CostModel {

    /** Trials the model is conditioned on at most: the most recent ones with a cost. */
    static final int MAX_POINTS = 64;
    /** Trials with a cost needed before costs steer. */
    static final int MIN_POINTS = 3;
    /** Growth of the trials with a cost that triggers a new hyperparameter fit. */
    static final double REFIT_GROWTH = 1.2;
    /** Costs whose log has a smaller standard deviation than this (about 1%) are treated as all equal. */
    static final double MIN_LOG_SPREAD = 0.01;

    private static final int FIT_STARTS = 2;
    private static final int FIT_ITERATIONS = 50;

    private final UnitCubeEncoding encoding;
    private final SplittableRandom random;
    private GpHyperparameters fitted;
    private int fittedAt;

    /**
     * @param encoding the sampler's encoding of the space
     * @param seed     seed of the hyperparameter fit's random starts
     */
    CostModel(UnitCubeEncoding encoding, long seed) {
        this.encoding = encoding;
        this.random = new SplittableRandom(seed);
    }

    /**
     * The predictor for these trials, or empty when costs cannot steer (too few known, or all about equal).
     *
     * @param finished the history's finished trials (warm start included), in order
     */
    Optional<Prediction> fit(List<Observation> finished) {
        if (encoding.dims() == 0) {
            return Optional.empty();
        }
        List<Observation> known = new ArrayList<>();
        for (Observation o : finished) {
            if (o.hasCost()) {
                known.add(o);
            }
        }
        if (known.size() < MIN_POINTS) {
            return Optional.empty();
        }
        List<Observation> kept = known.subList(Math.max(0, known.size() - MAX_POINTS), known.size());
        int n = kept.size();
        double[][] x = new double[n][];
        double[] logCost = new double[n];
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            logCost[i] = Math.log(kept.get(i).secondsPerEpoch());
            mean += logCost[i];
            min = Math.min(min, logCost[i]);
            max = Math.max(max, logCost[i]);
        }
        mean /= n;
        double var = 0;
        for (double v : logCost) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / n);
        if (!(sd >= MIN_LOG_SPREAD) || !Double.isFinite(sd)) {
            return Optional.empty();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) { // encoded only now: with equal costs (a synthetic study) the model costs O(n)
            x[i] = encoding.encode(kept.get(i).params());
            y[i] = (logCost[i] - mean) / sd;
        }
        if (fitted == null || fitted.dims() != encoding.dims() || known.size() >= fittedAt * REFIT_GROWTH
                || known.size() < fittedAt) {
            fitted = HyperparameterFit.fit(x, y, fitted, random, FIT_STARTS, FIT_ITERATIONS);
            fittedAt = known.size();
        }
        return Optional.of(new Prediction(GaussianProcess.fit(x, y, fitted), mean, sd, min, max));
    }

    /**
     * A fitted cost model.
     *
     * @param gp   the GP on standardized log seconds per epoch
     * @param mean mean of the observed log costs
     * @param sd   their standard deviation
     * @param min  lowest observed log cost
     * @param max  highest observed log cost
     */
    record Prediction(GaussianProcess gp, double mean, double sd, double min, double max) {

        /** Predicted log seconds per epoch at a unit-cube point, within the observed range. */
        double logCost(double[] point) {
            double v = mean + sd * gp.mean(point);
            return Math.max(min, Math.min(max, v));
        }
    }
}
