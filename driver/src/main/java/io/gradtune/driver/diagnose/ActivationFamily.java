package io.gradtune.driver.diagnose;

import java.util.Locale;
import java.util.Set;

/**
 * How an activation function fails, which decides what a layer's {@code deadFraction} and {@code saturatedFraction}
 * mean for a diagnosis. The worker measures a unit as "dead" when its output is &lt;= 0 on every probe row; that
 * stops the gradient only where the derivative is zero there (ReLU), not for ELU or GELU, whose outputs are
 * negative but whose gradient still flows. "Saturated" is measured on the flat tails of sigmoid-like functions.
 */
public enum ActivationFamily {
    /** relu, relu6: output &lt;= 0 means derivative 0, so a unit that is never positive never learns again. */
    RECTIFIED,
    /**
     * leakyrelu, prelu, elu, selu, gelu, softplus, swish/silu, mish: non-positive outputs keep a non-zero derivative, so
     * such units are not dead however often they output &lt;= 0.
     */
    SMOOTH,
    /** sigmoid, tanh, hardsigmoid, hardtanh, softsign: bounded outputs whose derivative vanishes (or is 0) at the bounds. */
    SATURATING,
    /** Anything else (identity, softmax, unknown names): neither test applies. */
    OTHER;

    private static final Set<String> RECTIFIED_NAMES = Set.of("relu", "relu6");
    private static final Set<String> SMOOTH_NAMES =
            Set.of("leakyrelu", "prelu", "elu", "selu", "gelu", "softplus", "swish", "silu", "mish");
    private static final Set<String> SATURATING_NAMES =
            Set.of("sigmoid", "tanh", "hardsigmoid", "hardtanh", "softsign");

    /** The family of an activation name as {@code LayerStats.activation()} carries it (case-insensitive; null is OTHER). */
    public static ActivationFamily of(String activation) {
        if (activation == null) {
            return OTHER;
        }
        String name = activation.toLowerCase(Locale.ROOT);
        if (RECTIFIED_NAMES.contains(name)) {
            return RECTIFIED;
        }
        if (SMOOTH_NAMES.contains(name)) {
            return SMOOTH;
        }
        return SATURATING_NAMES.contains(name) ? SATURATING : OTHER;
    }

    /** True when a unit whose output is &lt;= 0 on every probe row gets no gradient: a dead unit. */
    public boolean canDie() {
        return this == RECTIFIED;
    }

    /** True when outputs at the function's bounds mean a vanishing derivative: saturation. */
    public boolean saturates() {
        return this == SATURATING;
    }
}
