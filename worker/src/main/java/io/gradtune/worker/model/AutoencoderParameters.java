package io.gradtune.worker.model;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The autoencoder front end of gradtune's built-in network, read from a trial's parameters
 * ({@link AutoencoderFrontEnd}): {@code autoencoder_units} (0, the default, = none), {@code autoencoder_epochs}
 * (pre-training epochs on the training inputs, default {@value #DEFAULT_EPOCHS}) and {@code autoencoder_finetune}
 * (false, the default: the encoder is frozen; true: it trains with the rest of the network).
 *
 * @param units    width of the code layer, 0 for no autoencoder
 * @param epochs   pre-training epochs
 * @param finetune whether the encoder keeps training as the network's first layer
 */
public record AutoencoderParameters(int units, int epochs, boolean finetune) {

    /** The parameter names this record reads. */
    public static final Set<String> KEYS = Set.of("autoencoder_units", "autoencoder_epochs", "autoencoder_finetune");
    public static final int DEFAULT_EPOCHS = 3;
    /** Largest {@code autoencoder_units} and {@code autoencoder_epochs}. */
    public static final int MAX_UNITS = 4096;
    public static final int MAX_EPOCHS = 100;

    /** Whether the network gets an autoencoder front end. */
    public boolean enabled() {
        return units > 0;
    }

    /**
     * Reads the autoencoder parameters of an assignment (others are ignored).
     *
     * @throws IllegalArgumentException naming the parameter, the value and the allowed range
     */
    public static AutoencoderParameters from(Map<String, ?> params) {
        int units = 0;
        if (params.containsKey("autoencoder_units")) {
            units = integer(params, "autoencoder_units", 1, MAX_UNITS,
                    "the width of the pretrained encoder layer; leave the parameter out for no autoencoder");
        }
        int epochs = params.containsKey("autoencoder_epochs")
                ? integer(params, "autoencoder_epochs", 1, MAX_EPOCHS, "pre-training epochs of the autoencoder")
                : DEFAULT_EPOCHS;
        boolean finetune = false;
        Object f = params.get("autoencoder_finetune");
        if (f != null) {
            String s = f.toString().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException("parameter 'autoencoder_finetune' = '" + f + "', expected true "
                        + "(the encoder trains on) or false (frozen)");
            }
            finetune = Boolean.parseBoolean(s);
        }
        return new AutoencoderParameters(units, epochs, finetune);
    }

    private static int integer(Map<String, ?> params, String key, int low, int high, String what) {
        Object v = params.get(key);
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= low && d <= high) || d != Math.rint(d)) {
            throw new IllegalArgumentException("parameter '" + key + "' = " + v + ", expected an integer " + low + ".."
                    + high + " (" + what + ")");
        }
        return (int) d;
    }
}
