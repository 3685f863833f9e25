package io.gradtune.driver.search;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Maps assignments of a search space to points of the unit cube [0, 1]^D, where the Gaussian process lives,
 * and back. Each searched (non-fixed) parameter owns a block of dimensions:
 * <ul>
 *   <li>float and int: one dimension, the parameter's own {@code toUnit} (log ranges in log; ints at the
 *       centre of their bin); values outside the range are clamped to it;</li>
 *   <li>categorical with K choices: K dimensions, one-hot; decoding takes the argmax (first on ties).</li>
 * </ul>
 * An inactive conditional parameter (absent from the assignment) is encoded as a fixed neutral value: 0.5
 * (the middle of the range) for float and int, all zeros (no choice) for a categorical. Unknown categorical
 * values are encoded like inactive ones. Decoding goes through {@link SearchSpace#assign}, so conditions
 * decide which parameters appear; {@link #canonical} re-encodes a decoded point, which snaps ints to their
 * bins, categoricals to one-hot and inactive blocks to the neutral value.
 */
final class UnitCubeEncoding {

    /** Value of an inactive float or int parameter. */
    static final double INACTIVE = 0.5;

    private final SearchSpace space;
    private final List<Parameter> searched;
    private final int[] offsets;
    private final Map<String, Integer> index = new HashMap<>();
    private final int dims;
    private final boolean[] oneHot;
    private final boolean identity;

    UnitCubeEncoding(SearchSpace space) {
        this.space = space;
        this.searched = space.searched();
        this.offsets = new int[searched.size()];
        int d = 0;
        boolean plain = true;
        for (int i = 0; i < searched.size(); i++) {
            offsets[i] = d;
            Parameter p = searched.get(i);
            index.put(p.name(), i);
            d += p instanceof CategoricalParameter c ? c.choices().size() : 1;
            plain &= p instanceof FloatParameter && p.condition() == null;
        }
        this.dims = d;
        this.oneHot = new boolean[d];
        for (int i = 0; i < searched.size(); i++) {
            if (searched.get(i) instanceof CategoricalParameter c) {
                for (int k = 0; k < c.choices().size(); k++) {
                    oneHot[offsets[i] + k] = true;
                }
            }
        }
        this.identity = plain;
    }

    /** D, the number of unit-cube dimensions. */
    int dims() {
        return dims;
    }

    /** True when dimension {@code d} belongs to a categorical's one-hot block. */
    boolean isOneHot(int d) {
        return oneHot[d];
    }

    /** The point of an assignment. */
    double[] encode(Map<String, Object> assignment) {
        double[] u = new double[dims];
        for (int i = 0; i < searched.size(); i++) {
            Parameter p = searched.get(i);
            Object v = assignment.get(p.name());
            int o = offsets[i];
            if (p instanceof CategoricalParameter c) {
                int k = v == null ? -1 : c.indexOf(v);
                if (k >= 0) {
                    u[o + k] = 1;
                }
            } else if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                u[o] = numeric(p, n.doubleValue());
            } else {
                u[o] = INACTIVE;
            }
        }
        return u;
    }

    private static double numeric(Parameter p, double v) {
        if (p instanceof FloatParameter f) {
            return f.toUnit(Math.max(f.low(), Math.min(f.high(), v)));
        }
        IntParameter ip = (IntParameter) p;
        return ip.toUnit((int) Math.max(ip.low(), Math.min(ip.high(), Math.round(v))));
    }

    /** The assignment of a point: ints rounded, categoricals by argmax, conditions applied by the space. */
    Map<String, Object> decode(double[] u) {
        return space.assign(p -> value(p, u));
    }

    private Object value(Parameter p, double[] u) {
        int o = offsets[index.get(p.name())];
        if (p instanceof FloatParameter f) {
            double x = u[o];
            // the ends exactly: exp(log(low)) may differ from low in the last bit
            return x <= 0 ? f.low() : x >= 1 ? f.high() : Math.max(f.low(), Math.min(f.high(), f.fromUnit(x)));
        }
        if (p instanceof IntParameter ip) {
            return ip.fromUnit(u[o]);
        }
        CategoricalParameter c = (CategoricalParameter) p;
        int best = 0;
        for (int k = 1; k < c.choices().size(); k++) {
            if (u[o + k] > u[o + best]) {
                best = k;
            }
        }
        return c.choices().get(best);
    }

    /** A uniformly random point of the cube (a random choice for each categorical block). */
    double[] uniform(SplittableRandom random) {
        double[] u = new double[dims];
        for (int d = 0; d < dims; d++) {
            u[d] = random.nextDouble();
        }
        return u;
    }

    /**
     * A neighbour of {@code u}: float and int dimensions moved by N(0, scale²) and clamped to [0, 1]; each
     * categorical block switched to a random choice with probability {@code switchProbability}.
     */
    double[] perturb(double[] u, double scale, double switchProbability, SplittableRandom random) {
        double[] v = u.clone();
        for (int i = 0; i < searched.size(); i++) {
            int o = offsets[i];
            if (searched.get(i) instanceof CategoricalParameter c) {
                if (random.nextDouble() < switchProbability) {
                    int k = random.nextInt(c.choices().size());
                    for (int j = 0; j < c.choices().size(); j++) {
                        v[o + j] = j == k ? 1 : 0;
                    }
                }
            } else {
                v[o] = Math.max(0, Math.min(1, v[o] + scale * random.nextGaussian()));
            }
        }
        return v;
    }

    /**
     * encode(decode(u)): the point the proposal would really be. For a space of unconditional floats only,
     * just {@code u} clamped to the cube (no assignment is built).
     */
    double[] canonical(double[] u) {
        if (identity) {
            double[] c = new double[dims];
            for (int d = 0; d < dims; d++) {
                c[d] = Math.max(0, Math.min(1, u[d]));
            }
            return c;
        }
        return encode(decode(u));
    }
}
