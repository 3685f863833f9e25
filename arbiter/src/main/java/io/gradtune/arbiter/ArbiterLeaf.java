package io.gradtune.arbiter;

import io.gradtune.api.ParameterDeclaration;
import org.apache.commons.math3.distribution.IntegerDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformIntegerDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.BooleanSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One leaf of an Arbiter space as a gradtune parameter: its name, its declaration, and the way back from a value
 * gradtune chose to the number in [0, 1] that Arbiter's leaf turns into exactly that value ({@link #encode}).
 *
 * <p>Translated: {@code ContinuousParameterSpace} over a uniform distribution (float) or Arbiter's
 * {@code LogUniformDistribution} (float, log); {@code IntegerParameterSpace} over a uniform integer distribution (int);
 * {@code DiscreteParameterSpace} (categorical: numbers and booleans as they are, anything else, e.g. an
 * {@code Activation}, by its {@code toString()}); {@code BooleanSpace} (categorical true/false);
 * {@code FixedValue} (fixed). Any other leaf, or another distribution, is an {@link IllegalArgumentException}
 * naming the leaf.
 */
final class ArbiterLeaf {

    private final String name;
    private final ParameterSpace<?> space;
    private final int index;
    private final ParameterDeclaration declaration;
    /** The Arbiter values of a discrete leaf, in its order (parallel to the declaration's labels). */
    private final List<Object> discreteValues;

    private ArbiterLeaf(String name, ParameterSpace<?> space, int index, ParameterDeclaration declaration,
                        List<Object> discreteValues) {
        this.name = name;
        this.space = space;
        this.index = index;
        this.declaration = declaration;
        this.discreteValues = discreteValues;
    }

    /**
     * The leaf {@code space} named {@code name}, whose input is {@code values[index]} of the root's array
     * ({@code index} -1 for a leaf without input, a fixed value).
     */
    static ArbiterLeaf of(String name, ParameterSpace<?> space, int index) {
        if (space instanceof FixedValue<?> f) {
            return new ArbiterLeaf(name, space, -1, ParameterDeclaration.fixed(name, label(f.getValue())), List.of());
        }
        if (space instanceof ContinuousParameterSpace) {
            RealDistribution d = field(space, "distribution", RealDistribution.class);
            if (d instanceof LogUniformDistribution l) {
                return new ArbiterLeaf(name, space, index,
                        ParameterDeclaration.floatRange(name, l.getMin(), l.getMax(), true), List.of());
            }
            if (d instanceof UniformRealDistribution u) {
                return new ArbiterLeaf(name, space, index, ParameterDeclaration.floatRange(name,
                        u.getSupportLowerBound(), u.getSupportUpperBound(), false), List.of());
            }
            throw unsupported(name, space, "its distribution " + d.getClass().getSimpleName()
                    + " (gradtune translates uniform and log-uniform ranges)");
        }
        if (space instanceof IntegerParameterSpace i) {
            IntegerDistribution d = field(space, "distribution", IntegerDistribution.class);
            if (!(d instanceof UniformIntegerDistribution)) {
                throw unsupported(name, space, "its distribution " + d.getClass().getSimpleName()
                        + " (gradtune translates uniform integer ranges)");
            }
            return new ArbiterLeaf(name, space, index, ParameterDeclaration.intRange(name, i.getMin(), i.getMax(),
                    false), List.of());
        }
        if (space instanceof BooleanSpace) {
            List<Object> values = List.of(true, false);
            return new ArbiterLeaf(name, space, index, ParameterDeclaration.categorical(name, values), values);
        }
        if (space instanceof DiscreteParameterSpace<?>) {
            @SuppressWarnings("unchecked")
            List<Object> values = List.copyOf(field(space, "values", List.class));
            List<Object> labels = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Object v : values) {
                Object label = label(v);
                if (!seen.add(String.valueOf(label))) {
                    throw unsupported(name, space, "two of its values read '" + label + "'; give distinct values");
                }
                labels.add(label);
            }
            return new ArbiterLeaf(name, space, index, ParameterDeclaration.categorical(name, labels), values);
        }
        throw unsupported(name, space, "its type (gradtune translates ContinuousParameterSpace, IntegerParameterSpace, "
                + "DiscreteParameterSpace, BooleanSpace and FixedValue leaves)");
    }

    String name() {
        return name;
    }

    ParameterDeclaration declaration() {
        return declaration;
    }

    /** The leaf's position in the root's value array, or -1 when it takes no input (a fixed value). */
    int index() {
        return index;
    }

    /**
     * How far a float the leaf gives may be from the one gradtune chose, relative: Arbiter computes a float as the
     * inverse CDF of its input, and near the top of a log-uniform range (or of a uniform range wider than 1) one step
     * of the input moves the result by several ulps, so some doubles are no leaf's value (a log-uniform range's own
     * upper end among them: {@code exp(log(max))} is a few ulps below {@code max}).
     */
    static final double FLOAT_TOLERANCE = 1e-12;

    /**
     * The input in [0, 1] for which the leaf gives {@code value} (a value of this leaf's declaration, as gradtune
     * chose it): exactly that value for an int, a choice, and a float wherever any input gives it; otherwise the
     * input whose float is nearest (within {@link #FLOAT_TOLERANCE}, a few ulps), checked.
     *
     * @throws IllegalArgumentException when the value is not one the leaf can give
     */
    double encode(Object value) {
        double x = switch (declaration.type()) {
            case FLOAT -> encodeReal(number(value));
            case INT -> encodeInt(number(value));
            case CATEGORICAL -> encodeChoice(value);
            case FIXED -> 0;
        };
        Object back = decode(x);
        boolean close = declaration.type() == ParameterDeclaration.Type.FLOAT
                && Math.abs(((Number) back).doubleValue() - number(value)) <= FLOAT_TOLERANCE * Math.abs(number(value));
        if (declaration.type() != ParameterDeclaration.Type.FIXED && !same(back, value) && !close) {
            throw new IllegalArgumentException("parameter '" + name + "' = " + value + " is not a value of its Arbiter "
                    + "space " + space + " (it gives " + back + ")");
        }
        return x;
    }

    /** What the leaf gives for input {@code x}, as gradtune names it (a discrete value by its label). */
    Object decode(double x) {
        double[] in = new double[index + 1];
        if (index >= 0) {
            in[index] = x;
        }
        Object v = space.getValue(in);
        return label(v);
    }

    private double encodeReal(double v) {
        RealDistribution d = field(space, "distribution", RealDistribution.class);
        if (!(v >= d.getSupportLowerBound() && v <= d.getSupportUpperBound())) {
            throw new IllegalArgumentException("parameter '" + name + "' = " + v + " is outside its Arbiter range ["
                    + d.getSupportLowerBound() + ", " + d.getSupportUpperBound() + "]");
        }
        // The smallest x whose inverse CDF reaches v (the inverse CDF is monotone): bisection on the doubles of
        // [0, 1], so the leaf gives back v itself, not a neighbour one ulp away, whenever any x gives v.
        double lo = 0;
        double hi = 1;
        if (d.inverseCumulativeProbability(lo) >= v) {
            return lo;
        }
        while (true) {
            double mid = midpoint(lo, hi);
            if (mid == lo || mid == hi) {
                break;
            }
            if (d.inverseCumulativeProbability(mid) >= v) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double atHi = d.inverseCumulativeProbability(hi);
        double atLo = d.inverseCumulativeProbability(lo);
        return Math.abs(atHi - v) <= Math.abs(atLo - v) ? hi : lo;
    }

    private double encodeInt(double v) {
        IntegerDistribution d = field(space, "distribution", IntegerDistribution.class);
        int k = (int) v;
        // The middle of the CDF step of k: the inverse CDF gives k for every x in (F(k-1), F(k)].
        return (d.cumulativeProbability(k - 1) + d.cumulativeProbability(k)) / 2;
    }

    private double encodeChoice(Object value) {
        List<Object> labels = declaration.values();
        for (int i = 0; i < labels.size(); i++) {
            if (same(labels.get(i), value)) {
                // Arbiter picks (int) (x / (1 / n)): the middle of the i-th of n equal parts.
                return (i + 0.5) / labels.size();
            }
        }
        throw new IllegalArgumentException("parameter '" + name + "' = " + value + " is not one of its Arbiter "
                + "choices " + labels);
    }

    /** The midpoint of two non-negative doubles in the order of their bit patterns (so bisection ends in ~64 steps). */
    private static double midpoint(double a, double b) {
        long x = Double.doubleToLongBits(a);
        long y = Double.doubleToLongBits(b);
        return Double.longBitsToDouble(x + (y - x) / 2);
    }

    private double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' = '" + value + "', expected a number");
        }
    }

    /** A value as gradtune shows it: numbers and booleans as they are, anything else by its text. */
    static Object label(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(String.valueOf(a), String.valueOf(b));
    }

    private static <T> T field(Object o, String fieldName, Class<T> type) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(fieldName);
                f.setAccessible(true);
                return type.cast(f.get(o));
            } catch (NoSuchFieldException e) {
                // superclass next
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + fieldName + " of " + o.getClass().getName(), e);
            }
        }
        throw new IllegalStateException(o.getClass().getName() + " has no field " + fieldName
                + " (an Arbiter version other than 1.0.0-beta7?)");
    }

    private static IllegalArgumentException unsupported(String name, ParameterSpace<?> space, String what) {
        return new IllegalArgumentException("Arbiter leaf '" + name + "' (" + space + "): gradtune cannot translate "
                + what);
    }
}
