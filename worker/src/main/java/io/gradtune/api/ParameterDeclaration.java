package io.gradtune.api;

import java.util.List;
import java.util.Objects;

/**
 * One parameter a model declares for its study's search space ({@link DeclaresSpace}): the same four kinds a
 * config's {@code space} section has. Immutable; build one with the static factories.
 *
 * @param name   the parameter's name, as the model reads it from {@link Params}
 * @param type   float, int, categorical or fixed
 * @param low    lower bound (float and int; null otherwise)
 * @param high   upper bound (float and int; null otherwise)
 * @param log    sampled on a log scale (float and int)
 * @param values the choices (categorical: numbers, strings or booleans, distinct) or the one value (fixed);
 *               empty for float and int
 */
public record ParameterDeclaration(String name, Type type, Double low, Double high, boolean log, List<Object> values) {

    /** The kinds of parameter, as in a config's {@code space}. */
    public enum Type { FLOAT, INT, CATEGORICAL, FIXED }

    public ParameterDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = values == null ? List.of() : List.copyOf(values);
        boolean range = type == Type.FLOAT || type == Type.INT;
        if (range && (low == null || high == null || !(low <= high))) {
            throw new IllegalArgumentException("parameter '" + name + "': a " + type + " range needs low <= high, got "
                    + low + ", " + high);
        }
        if (!range && values.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "': a " + type + " parameter needs values");
        }
    }

    /** A real number in [low, high], uniform or (log) log-uniform. */
    public static ParameterDeclaration floatRange(String name, double low, double high, boolean log) {
        return new ParameterDeclaration(name, Type.FLOAT, low, high, log, List.of());
    }

    /** An integer in [low, high]. */
    public static ParameterDeclaration intRange(String name, int low, int high, boolean log) {
        return new ParameterDeclaration(name, Type.INT, (double) low, (double) high, log, List.of());
    }

    /** One of {@code choices} (numbers, strings or booleans). */
    public static ParameterDeclaration categorical(String name, List<?> choices) {
        return new ParameterDeclaration(name, Type.CATEGORICAL, null, null, false, List.copyOf(choices));
    }

    /** Always {@code value}: shown in the trial's parameters, never searched. */
    public static ParameterDeclaration fixed(String name, Object value) {
        return new ParameterDeclaration(name, Type.FIXED, null, null, false, List.of(value));
    }
}
