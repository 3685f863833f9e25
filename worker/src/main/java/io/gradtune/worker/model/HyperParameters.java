package io.gradtune.worker.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The typed reading of a trial's parameter assignment: every knob the network builder understands, with the
 * default used when the study does not search or fix it. {@link #KNOWN} is the vocabulary the driver's config
 * validation checks search-space names against.
 * The augmentation ({@link AugmentParameters}) and autoencoder ({@link AutoencoderParameters}) parameters are in the
 * vocabulary and checked by {@link #from}, but read by their own records.
 *
 * @param learningRate  initial learning rate
 * @param optimizer     adam, nadam, rmsprop, sgd or nesterov
 * @param momentum      momentum for nesterov (ignored by the others)
 * @param batchSize     mini-batch size
 * @param unitsPerLayer width of each hidden layer, input side first (its size is the depth): {@code units} shaped by
 *                      {@code width_shape} ({@link Architecture#widths}), then overridden by any {@code units_k}
 * @param activation    hidden activation: sigmoid, tanh, relu, leakyrelu, elu, gelu, prelu (learned slope), selu
 * @param weightInit    xavier, he, lecun (LeCun normal, N(0, 1/fan_in); the default for selu) or normal_small
 *                      (N(0, 0.01^2), the "naive" init of the tutorials)
 * @param dropout       probability of dropping a hidden unit (0 = no dropout)
 * @param l1            L1 regularization coefficient
 * @param l2            L2 regularization coefficient
 * @param batchNorm     batch normalization after every hidden layer
 * @param gradientClip  per-layer L2 clipping threshold of gradients (0 = none)
 * @param scaling       input scaling override (standard, minmax, none), or null for the data section's
 * @param lrSchedule    learning-rate schedule: none, step, exponential, cyclic or plateau
 * @param lrDecay       factor the rate is multiplied by: per {@code lrStepEpochs} (step), per epoch
 *                      (exponential) or per plateau (plateau); default 0.95 for exponential, else 0.5
 * @param lrStepEpochs  epochs between step decays
 * @param lrCycleEpochs period in epochs of the cyclic schedule (triangular between rate/10 and rate)
 * @param lrPatience    epochs without a validation-loss improvement before plateau lowers the rate
 * @param connections   how hidden layers connect ({@link Architecture#CONNECTIONS}): plain (a stack), residual
 *                      (identity skips between consecutive hidden layers of equal width) or dense (each hidden layer
 *                      and the output layer take the concatenation of the input and every earlier hidden output)
 */
public record HyperParameters(
        double learningRate,
        String optimizer,
        double momentum,
        int batchSize,
        List<Integer> unitsPerLayer,
        String activation,
        String weightInit,
        double dropout,
        double l1,
        double l2,
        boolean batchNorm,
        double gradientClip,
        String scaling,
        String lrSchedule,
        double lrDecay,
        int lrStepEpochs,
        int lrCycleEpochs,
        int lrPatience,
        String connections) {

    /** Parameter names the builder understands; {@code units_1} .. {@code units_N} set per-layer widths. */
    public static final Set<String> KNOWN = Set.of("learning_rate", "optimizer", "momentum", "batch_size",
            "layers", "units", "activation", "weight_init", "dropout", "l1", "l2", "batch_norm",
            "gradient_clip", "scaling", "lr_schedule", "lr_decay", "lr_step_epochs", "lr_cycle_epochs", "lr_patience",
            "residual", "connections", "width_shape", "noise_std", "augment", "augment_shift", "image_shape",
            "autoencoder_units", "autoencoder_epochs", "autoencoder_finetune",
            "missing", "outliers", "pca_components");   // data cleaning: read by data.DataLoader, not the builder
    /** The largest {@code units_k} index accepted. */
    public static final int MAX_LAYERS = 16;

    public static final List<String> ACTIVATIONS =
            List.of("sigmoid", "tanh", "relu", "leakyrelu", "elu", "gelu", "prelu", "selu");
    public static final List<String> OPTIMIZERS = List.of("adam", "nadam", "rmsprop", "sgd", "nesterov");
    public static final List<String> WEIGHT_INITS = List.of("xavier", "he", "lecun", "normal_small");
    public static final List<String> LR_SCHEDULES = List.of("none", "step", "exponential", "cyclic", "plateau");

    public HyperParameters {
        unitsPerLayer = List.copyOf(unitsPerLayer);
    }

    /** Identity skip connections between consecutive hidden layers of equal width ({@code connections: residual}). */
    public boolean residual() {
        return connections.equals(Architecture.RESIDUAL);
    }

    /** True for a name the builder understands, including {@code units_1..units_16}. */
    public static boolean isKnown(String name) {
        if (KNOWN.contains(name)) {
            return true;
        }
        if (name.startsWith("units_")) {
            try {
                int k = Integer.parseInt(name.substring(6));
                return k >= 1 && k <= MAX_LAYERS;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Reads an assignment, applying defaults. {@code units_k} overrides {@code units} for layer k.
     *
     * @throws IllegalArgumentException naming the parameter and value when one is out of its domain
     */
    public static HyperParameters from(Map<String, ?> params) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        for (String k : p.keySet()) {
            if (!isKnown(k)) {
                throw new IllegalArgumentException("unknown parameter '" + k + "'; known: " + new java.util.TreeSet<>(KNOWN)
                        + " and units_1.." + "units_" + MAX_LAYERS);
            }
        }
        AugmentParameters.from(p); // checked here, read by the trainer
        AutoencoderParameters.from(p); // checked here, read by AutoencoderFrontEnd
        int layers = intOf(p, "layers", 2);
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("parameter 'layers' = " + layers + ", expected 1.." + MAX_LAYERS);
        }
        int shared = intOf(p, "units", 64);
        positive("units", shared);
        List<Integer> shaped = Architecture.widths(oneOf(p, "width_shape", "constant", Architecture.WIDTH_SHAPES),
                shared, layers);
        List<Integer> units = new ArrayList<>(Collections.nCopies(layers, shared));
        for (int k = 1; k <= layers; k++) {
            units.set(k - 1, intOf(p, "units_" + k, shaped.get(k - 1)));
        }
        for (int u : units) {
            positive("units", u);
        }
        String schedule = oneOf(p, "lr_schedule", "none", LR_SCHEDULES);
        HyperParameters h = new HyperParameters(
                doubleOf(p, "learning_rate", 1e-3),
                oneOf(p, "optimizer", "adam", OPTIMIZERS),
                doubleOf(p, "momentum", 0.9),
                intOf(p, "batch_size", 64),
                units,
                oneOf(p, "activation", "relu", ACTIVATIONS),
                oneOf(p, "weight_init", Architecture.defaultWeightInit(oneOf(p, "activation", "relu", ACTIVATIONS)),
                        WEIGHT_INITS),
                doubleOf(p, "dropout", 0.0),
                doubleOf(p, "l1", 0.0),
                doubleOf(p, "l2", 0.0),
                boolOf(p, "batch_norm", false),
                doubleOf(p, "gradient_clip", 0.0),
                p.containsKey("scaling") ? String.valueOf(p.get("scaling")) : null,
                schedule,
                doubleOf(p, "lr_decay", schedule.equals("exponential") ? 0.95 : 0.5),
                intOf(p, "lr_step_epochs", 5),
                intOf(p, "lr_cycle_epochs", 4),
                intOf(p, "lr_patience", 2),
                Architecture.connections(
                        p.containsKey("connections") ? oneOf(p, "connections", null, Architecture.CONNECTIONS) : null,
                        p.containsKey("residual") ? boolOf(p, "residual", false) : null));
        positive("learning_rate", h.learningRate);
        positive("batch_size", h.batchSize);
        if (h.dropout < 0 || h.dropout >= 1) {
            throw new IllegalArgumentException("parameter 'dropout' = " + h.dropout + ", expected 0 <= dropout < 1");
        }
        nonNegative("l1", h.l1);
        nonNegative("l2", h.l2);
        nonNegative("gradient_clip", h.gradientClip);
        nonNegative("momentum", h.momentum);
        if (!(h.lrDecay > 0 && h.lrDecay <= 1)) {
            throw new IllegalArgumentException("parameter 'lr_decay' = " + h.lrDecay + ", expected 0 < lr_decay <= 1");
        }
        positive("lr_step_epochs", h.lrStepEpochs);
        positive("lr_patience", h.lrPatience);
        if (h.lrCycleEpochs < 2) {
            throw new IllegalArgumentException("parameter 'lr_cycle_epochs' = " + h.lrCycleEpochs + ", expected >= 2");
        }
        return h;
    }

    private static void positive(String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("parameter '" + name + "' = " + v + ", expected > 0");
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("parameter '" + name + "' = " + v + ", expected >= 0");
        }
    }

    private static double doubleOf(Map<String, Object> p, String key, double dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "' = '" + v + "', expected a number");
        }
    }

    private static int intOf(Map<String, Object> p, String key, int dflt) {
        double d = doubleOf(p, key, dflt);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException("parameter '" + key + "' = " + d + ", expected an integer");
        }
        return (int) d;
    }

    private static boolean boolOf(Map<String, Object> p, String key, boolean dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("parameter '" + key + "' = '" + v + "', expected true or false");
    }

    private static String oneOf(Map<String, Object> p, String key, String dflt, List<String> allowed) {
        Object v = p.get(key);
        String s = v == null ? dflt : v.toString().toLowerCase(Locale.ROOT);
        if (!allowed.contains(s)) {
            throw new IllegalArgumentException("parameter '" + key + "' = '" + v + "', expected one of " + allowed);
        }
        return s;
    }
}
