package io.gradtune.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One trial's parameter assignment as a {@link ModelFactory} sees it: the sampled values of the study's {@code space}
 * and the fixed values of its {@code training} section, by name, exactly as the config names them (with a model class
 * they need not be gradtune's own vocabulary). Immutable. Only the parameters active in this trial are present (a
 * parameter whose {@code when} condition does not hold is absent): use the accessors with a default for those.
 *
 * <p>The typed accessors convert where that is exact (an int-valued number to {@code int}, a number to
 * {@code double}, {@code "true"}/{@code "false"} to a boolean) and otherwise throw an
 * {@link IllegalArgumentException} naming the parameter, its value and the type asked for.
 */
public final class Params {

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The assignment {@code values} (numbers, strings or booleans by parameter name). */
    public static Params of(Map<String, ?> values) {
        return new Params(new LinkedHashMap<>(values));
    }

    /** Whether the parameter is set in this trial. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every parameter of the trial, by name (unmodifiable). */
    public Map<String, Object> asMap() {
        return values;
    }

    public double getDouble(String name) {
        return toDouble(name, require(name));
    }

    public double getDouble(String name, double defaultValue) {
        return has(name) ? getDouble(name) : defaultValue;
    }

    public int getInt(String name) {
        Object v = require(name);
        double d = toDouble(name, v);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw wrongType(name, v, "an integer");
        }
        return (int) d;
    }

    public int getInt(String name, int defaultValue) {
        return has(name) ? getInt(name) : defaultValue;
    }

    /** The value as text (a number or boolean as Java prints it). */
    public String getString(String name) {
        return String.valueOf(require(name));
    }

    public String getString(String name, String defaultValue) {
        return has(name) ? getString(name) : defaultValue;
    }

    public boolean getBoolean(String name) {
        Object v = require(name);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw wrongType(name, v, "true or false");
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        return has(name) ? getBoolean(name) : defaultValue;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is not set in this trial (set: "
                    + new TreeSet<>(values.keySet()) + "); define it in the config's space or training section, "
                    + "or read it with a default");
        }
        return v;
    }

    private static double toDouble(String name, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw wrongType(name, v, "a number");
        }
    }

    private static IllegalArgumentException wrongType(String name, Object v, String expected) {
        return new IllegalArgumentException("parameter '" + name + "' = '" + v + "', expected " + expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
