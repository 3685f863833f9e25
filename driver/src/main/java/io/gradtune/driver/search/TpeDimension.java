package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The two densities l (good) and g (bad) of one parameter, fitted only on the trials where the parameter is
 * active, and the choice of its next value: the candidate drawn from l with the highest log l - log g.
 */
interface TpeDimension {

    double PRIOR_WEIGHT = 1.0;

    /** Draws {@code candidates} values from l and returns the one maximizing log l(x) - log g(x). */
    Object choose(SplittableRandom random, int candidates);

    static TpeDimension fit(Parameter p, GoodBadSplit split) {
        if (p instanceof CategoricalParameter c) {
            return new Categorical(c, categorical(c, split.good()), categorical(c, split.bad()));
        }
        return new Numeric(p, numeric(p, split.good()), numeric(p, split.bad()));
    }

    private static ParzenEstimator numeric(Parameter p, List<Map<String, Object>> trials) {
        double[] observed = trials.stream().mapToDouble(t -> unit(p, t.get(p.name())))
                .filter(u -> !Double.isNaN(u)).toArray();
        return ParzenEstimator.fit(observed, GoodBadSplit.weights(observed.length), PRIOR_WEIGHT);
    }

    /** A float or int value in the parameter's unit space, or NaN when absent or out of range. */
    static double unit(Parameter p, Object value) {
        if (value instanceof Number n) {
            double v = n.doubleValue();
            if (p instanceof FloatParameter f && v >= f.low() && v <= f.high()) {
                return Math.min(1, Math.max(0, f.toUnit(v)));
            }
            if (p instanceof IntParameter i && v >= i.low() && v <= i.high()) {
                return i.toUnit((int) Math.round(v));
            }
        }
        return Double.NaN;
    }

    private static CategoricalEstimator categorical(CategoricalParameter c, List<Map<String, Object>> trials) {
        int[] observed = trials.stream().filter(t -> t.containsKey(c.name()))
                .mapToInt(t -> c.indexOf(t.get(c.name()))).filter(i -> i >= 0).toArray();
        return CategoricalEstimator.fit(observed, GoodBadSplit.weights(observed.length), c.choices().size(),
                PRIOR_WEIGHT);
    }

    /** A float or int parameter, searched in its unit space; ints are scored at the centre of their bin. */
    record Numeric(Parameter parameter, ParzenEstimator good, ParzenEstimator bad) implements TpeDimension {

        @Override
        public Object choose(SplittableRandom random, int candidates) {
            double best = Double.NaN;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < candidates; i++) {
                double u = good.sample(random);
                if (parameter instanceof IntParameter ip) {
                    u = ip.toUnit(ip.fromUnit(u));
                }
                double score = good.logPdf(u) - bad.logPdf(u);
                if (score > bestScore || Double.isNaN(best)) {
                    best = u;
                    bestScore = score;
                }
            }
            if (parameter instanceof IntParameter ip) {
                return ip.fromUnit(best);
            }
            FloatParameter f = (FloatParameter) parameter;
            return Math.min(f.high(), Math.max(f.low(), f.fromUnit(best)));
        }
    }

    /** A categorical parameter, scored by smoothed good and bad frequencies. */
    record Categorical(CategoricalParameter parameter, CategoricalEstimator good, CategoricalEstimator bad)
            implements TpeDimension {

        @Override
        public Object choose(SplittableRandom random, int candidates) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < candidates; i++) {
                int c = good.sample(random);
                double score = good.logPdf(c) - bad.logPdf(c);
                if (best < 0 || score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            return parameter.choices().get(best);
        }
    }
}
