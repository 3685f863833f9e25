package io.gradtune.driver.search;

import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The always-active float and int parameters, modelled jointly by multivariate TPE: candidates are drawn
 * from l as whole vectors and scored by the joint log l - log g. Conditional and categorical parameters
 * stay with the per-parameter {@link TpeDimension}s.
 *
 * @param parameters the unconditional numeric parameters, in space order
 * @param good       joint density of the good trials
 * @param bad        joint density of the bad trials
 */
record TpeJointGroup(List<Parameter> parameters, MultivariateParzenEstimator good, MultivariateParzenEstimator bad) {

    /** True for the parameters this group models. */
    static boolean covers(Parameter p) {
        return p.condition() == null && (p instanceof FloatParameter || p instanceof IntParameter);
    }

    static TpeJointGroup fit(List<Parameter> parameters, GoodBadSplit split) {
        return new TpeJointGroup(List.copyOf(parameters), density(parameters, split.good()),
                density(parameters, split.bad()));
    }

    /** Draws {@code candidates} vectors from l and returns the best, as parameter name to value. */
    Map<String, Object> choose(SplittableRandom random, int candidates) {
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates; i++) {
            double[] u = good.sample(random);
            for (int j = 0; j < u.length; j++) {
                if (parameters.get(j) instanceof IntParameter ip) {
                    u[j] = ip.toUnit(ip.fromUnit(u[j]));
                }
            }
            double score = good.logPdf(u) - bad.logPdf(u);
            if (best == null || score > bestScore) {
                best = u;
                bestScore = score;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int j = 0; j < best.length; j++) {
            Parameter p = parameters.get(j);
            if (p instanceof IntParameter ip) {
                out.put(p.name(), ip.fromUnit(best[j]));
            } else {
                FloatParameter f = (FloatParameter) p;
                out.put(p.name(), Math.min(f.high(), Math.max(f.low(), f.fromUnit(best[j]))));
            }
        }
        return out;
    }

    private static MultivariateParzenEstimator density(List<Parameter> parameters,
                                                       List<Map<String, Object>> trials) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> t : trials) {
            double[] u = new double[parameters.size()];
            boolean usable = true;
            for (int j = 0; j < u.length && usable; j++) {
                u[j] = TpeDimension.unit(parameters.get(j), t.get(parameters.get(j).name()));
                usable = !Double.isNaN(u[j]);
            }
            if (usable) {
                points.add(u);
            }
        }
        double[][] observed = points.toArray(new double[0][]);
        return MultivariateParzenEstimator.fit(observed, GoodBadSplit.weights(observed.length), parameters.size(),
                TpeDimension.PRIOR_WEIGHT);
    }
}
