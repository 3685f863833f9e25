package io.gradtune.driver.stopping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every stopping rule's settings in one place, as the study config's {@code early_stopping} section holds them; a
 * null entry disables that rule. {@link #fromMap} reads the YAML mapping, {@link #toPolicy} builds the policy.
 *
 * @param divergence         {@link DivergenceRule} settings or null
 * @param explodingGradients {@link ExplodingGradientsRule} settings or null
 * @param vanishingGradients {@link VanishingGradientsRule} settings or null
 * @param plateau            {@link PlateauRule} settings or null
 * @param median             {@link MedianStoppingRule} settings or null
 * @param asha               {@link AshaRule} settings or null
 */
public record StoppingSettings(
        DivergenceRule.Settings divergence,
        ExplodingGradientsRule.Settings explodingGradients,
        VanishingGradientsRule.Settings vanishingGradients,
        PlateauRule.Settings plateau,
        MedianStoppingRule.Settings median,
        AshaRule.Settings asha) {

    /** The YAML section name, prefix of every error message. */
    public static final String SECTION = "early_stopping";

    /** The rule keys {@link #fromMap} accepts, in policy order. */
    public static final List<String> RULES = List.of(DivergenceRule.NAME, ExplodingGradientsRule.NAME,
            VanishingGradientsRule.NAME, PlateauRule.NAME, MedianStoppingRule.NAME, AshaRule.NAME);

    /** Every rule at its defaults except median, which is off: ASHA already provides the comparative pruning. */
    public static StoppingSettings defaults() {
        return new StoppingSettings(DivergenceRule.Settings.defaults(), ExplodingGradientsRule.Settings.defaults(),
                VanishingGradientsRule.Settings.defaults(), PlateauRule.Settings.defaults(), null,
                AshaRule.Settings.defaults());
    }

    /** Every rule disabled. */
    public static StoppingSettings none() {
        return new StoppingSettings(null, null, null, null, null, null);
    }

    /**
     * The policy of the enabled rules, in the order divergence, exploding_gradients, vanishing_gradients, plateau,
     * median, asha.
     *
     * @param maxEpochs the epochs a trial trains at most (ASHA's R)
     */
    public StoppingPolicy toPolicy(int maxEpochs) {
        List<StoppingRule> rules = new ArrayList<>();
        if (divergence != null) {
            rules.add(new DivergenceRule(divergence));
        }
        if (explodingGradients != null) {
            rules.add(new ExplodingGradientsRule(explodingGradients));
        }
        if (vanishingGradients != null) {
            rules.add(new VanishingGradientsRule(vanishingGradients));
        }
        if (plateau != null) {
            rules.add(new PlateauRule(plateau));
        }
        if (median != null) {
            rules.add(new MedianStoppingRule(median));
        }
        if (asha != null) {
            rules.add(new AshaRule(asha, maxEpochs));
        }
        return new StoppingPolicy(rules);
    }

    /**
     * Reads the {@code early_stopping} mapping: keys are rule names, each value {@code false} (disable),
     * {@code true} (enable with defaults) or a mapping of fields overriding the defaults. Rules not mentioned keep
     * their {@link #defaults()} state; a null or empty map gives the defaults. Numbers may also be strings
     * ({@code "1e-3"}), since YAML 1.1 reads {@code 1e-3} without a dot as a string.
     *
     * @throws IllegalArgumentException naming {@code early_stopping.<rule>[.<field>]} and the bad value, for an
     *                                  unknown rule or field, a value of the wrong type or out of range
     */
    public static StoppingSettings fromMap(Map<String, Object> yaml) {
        StoppingSettings d = defaults();
        Map<String, Object> m = yaml == null ? Map.of() : yaml;
        for (String key : m.keySet()) {
            if (!RULES.contains(key)) {
                throw new IllegalArgumentException(SECTION + "." + key + ": unknown rule; expected one of " + RULES);
            }
        }
        return new StoppingSettings(
                rule(m, DivergenceRule.NAME, d.divergence(), DivergenceRule.Settings.defaults(),
                        f -> new DivergenceRule.Settings(f.dbl("loss_factor", DivergenceRule.Settings.DEFAULT_LOSS_FACTOR))),
                rule(m, ExplodingGradientsRule.NAME, d.explodingGradients(), ExplodingGradientsRule.Settings.defaults(),
                        f -> new ExplodingGradientsRule.Settings(
                                f.dbl("max_norm", ExplodingGradientsRule.Settings.DEFAULT_MAX_NORM),
                                f.dbl("growth", ExplodingGradientsRule.Settings.DEFAULT_GROWTH),
                                f.integer("patience", ExplodingGradientsRule.Settings.DEFAULT_PATIENCE))),
                rule(m, VanishingGradientsRule.NAME, d.vanishingGradients(), VanishingGradientsRule.Settings.defaults(),
                        f -> new VanishingGradientsRule.Settings(
                                f.dbl("min_ratio", VanishingGradientsRule.Settings.DEFAULT_MIN_RATIO),
                                f.dbl("min_update_ratio", VanishingGradientsRule.Settings.DEFAULT_MIN_UPDATE_RATIO),
                                f.integer("patience", VanishingGradientsRule.Settings.DEFAULT_PATIENCE))),
                rule(m, PlateauRule.NAME, d.plateau(), PlateauRule.Settings.defaults(),
                        f -> new PlateauRule.Settings(f.integer("patience", PlateauRule.Settings.DEFAULT_PATIENCE),
                                f.dbl("min_delta", PlateauRule.Settings.DEFAULT_MIN_DELTA))),
                rule(m, MedianStoppingRule.NAME, d.median(), MedianStoppingRule.Settings.defaults(),
                        f -> new MedianStoppingRule.Settings(
                                f.integer("min_epochs", MedianStoppingRule.Settings.DEFAULT_MIN_EPOCHS),
                                f.integer("min_trials", MedianStoppingRule.Settings.DEFAULT_MIN_TRIALS))),
                rule(m, AshaRule.NAME, d.asha(), AshaRule.Settings.defaults(),
                        f -> new AshaRule.Settings(f.integer("min_epochs", AshaRule.Settings.DEFAULT_MIN_EPOCHS),
                                f.integer("reduction_factor", AshaRule.Settings.DEFAULT_REDUCTION_FACTOR))));
    }

    private static <S> S rule(Map<String, Object> m, String name, S absent, S enabled, Function<Fields, S> parse) {
        if (!m.containsKey(name)) {
            return absent;
        }
        Object v = m.get(name);
        String path = SECTION + "." + name;
        if (Boolean.FALSE.equals(v)) {
            return null;
        }
        if (Boolean.TRUE.equals(v)) {
            return enabled;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + ": expected true, false or a mapping of settings, got " + v);
        }
        Fields fields = new Fields(path, map);
        S settings;
        try {
            settings = parse.apply(fields);
        } catch (Fields.FieldException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + "." + e.getMessage(), e);
        }
        fields.rejectUnknown();
        return settings;
    }

    /** One rule's field mapping; remembers which keys were read so that unknown keys can be reported. */
    private static final class Fields {

        /** A field error whose message already carries the full path. */
        static final class FieldException extends RuntimeException {
            FieldException(String message) {
                super(message);
            }
        }

        private final String path;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Set<String> read = new HashSet<>();

        Fields(String path, Map<?, ?> map) {
            this.path = path;
            map.forEach((k, v) -> values.put(String.valueOf(k), v));
        }

        double dbl(String key, double fallback) {
            read.add(key);
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw new FieldException(path + "." + key + " must be a number, got " + v);
                }
            }
            throw new FieldException(path + "." + key + " must be a number, got " + v);
        }

        int integer(String key, int fallback) {
            read.add(key);
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                long l = ((Number) v).longValue();
                if (l == (int) l) {
                    return (int) l;
                }
            } else if (v instanceof String s && s.trim().matches("[-+]?\\d{1,9}")) {
                return Integer.parseInt(s.trim());
            }
            throw new FieldException(path + "." + key + " must be an integer, got " + v);
        }

        void rejectUnknown() {
            for (String key : values.keySet()) {
                if (!read.contains(key)) {
                    throw new IllegalArgumentException(path + "." + key + ": unknown setting " + key
                            + " = " + values.get(key) + "; expected one of " + read);
                }
            }
        }
    }
}
