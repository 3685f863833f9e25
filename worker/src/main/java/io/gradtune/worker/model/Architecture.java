package io.gradtune.worker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture knobs of the built-in network beyond depth and activation: how hidden layers connect
 * ({@code connections}), how their widths change with depth ({@code width_shape}), and which initialization an
 * activation gets when the study does not name one (SELU: LeCun normal, the init its self-normalization assumes).
 */
public final class Architecture {

    public static final String PLAIN = "plain";
    public static final String RESIDUAL = "residual";
    public static final String DENSE = "dense";
    /** Values of {@code connections}. */
    public static final List<String> CONNECTIONS = List.of(PLAIN, RESIDUAL, DENSE);

    public static final String CONSTANT = "constant";
    public static final String SHRINKING = "shrinking";
    public static final String EXPANDING = "expanding";
    /** Values of {@code width_shape}. */
    public static final List<String> WIDTH_SHAPES = List.of(CONSTANT, SHRINKING, EXPANDING);
    /** Width factor per layer: shrinking halves, expanding doubles. */
    public static final int WIDTH_FACTOR = 2;
    /** The narrowest layer {@code shrinking} makes (or {@code units}, if that is narrower already). */
    public static final int MIN_WIDTH = 8;
    /** The widest layer {@code expanding} makes (or {@code units}, if that is wider already). */
    public static final int MAX_WIDTH = 1024;

    private Architecture() {
    }

    /**
     * The hidden widths, input side first: {@code units} for the first layer, then halved (shrinking, down to
     * {@link #MIN_WIDTH}) or doubled (expanding, up to {@link #MAX_WIDTH}) per layer; constant keeps {@code units}.
     * Explicit {@code units_k} override these per layer (see {@link HyperParameters#from}).
     */
    public static List<Integer> widths(String shape, int units, int layers) {
        List<Integer> out = new ArrayList<>(layers);
        long w = units;
        for (int k = 0; k < layers; k++) {
            out.add((int) w);
            switch (shape) {
                case SHRINKING -> w = Math.max(Math.min(units, MIN_WIDTH), w / WIDTH_FACTOR);
                case EXPANDING -> w = Math.min(Math.max(units, MAX_WIDTH), w * WIDTH_FACTOR);
                case CONSTANT -> { }
                default -> throw new IllegalArgumentException("parameter 'width_shape' = '" + shape
                        + "', expected one of " + WIDTH_SHAPES);
            }
        }
        return out;
    }

    /** The weight init when the study names none: lecun for selu, xavier otherwise. */
    public static String defaultWeightInit(String activation) {
        return activation.equals("selu") ? "lecun" : "xavier";
    }

    /**
     * The connections from {@code connections} and the older boolean {@code residual} (kept so existing configs
     * and runs read as before): {@code residual: true} means {@code connections: residual}. Both given and
     * disagreeing is an error naming both.
     *
     * @param connections the {@code connections} value, or null when not given
     * @param residual    the {@code residual} value, or null when not given
     */
    static String connections(String connections, Boolean residual) {
        if (connections == null) {
            return residual != null && residual ? RESIDUAL : PLAIN;
        }
        if (residual != null && residual != connections.equals(RESIDUAL)) {
            throw new IllegalArgumentException("parameter 'residual' = " + residual + " contradicts 'connections' = '"
                    + connections + "'; 'residual: true' is the older spelling of 'connections: residual': "
                    + "give only 'connections'");
        }
        return connections;
    }
}
