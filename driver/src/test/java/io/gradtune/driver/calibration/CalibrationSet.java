package io.gradtune.driver.calibration;

import io.gradtune.driver.calibration.CalibrationConfig.Half;
import io.gradtune.driver.calibration.CalibrationConfig.Intent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gradtune.driver.calibration.CalibrationConfig.Intent.EXPLODING;
import static io.gradtune.driver.calibration.CalibrationConfig.Intent.HEALTHY;
import static io.gradtune.driver.calibration.CalibrationConfig.Intent.VANISHING;
import static io.gradtune.driver.calibration.CalibrationData.BREAST_CANCER;
import static io.gradtune.driver.calibration.CalibrationData.DIGITS;
import static io.gradtune.driver.calibration.CalibrationData.FASHION;
import static io.gradtune.driver.calibration.CalibrationData.WINE;

/**
 * The fixed calibration set of issue 11: 86 configurations chosen to vanish, to explode or to be healthy, over four
 * datasets, every activation, weight init and optimizer, depths 2-12, learning rates up to 5, batch norm, residual
 * connections and unscaled inputs. Each has a finer kind: the failure kinds the issue names are all there
 * (small-init nets whose whole signal is small under momentum SGD, dead ReLUs, sigmoid + Adam at high rates that
 * blow up in epoch 1 and saturate, unscaled inputs with large but harmless gradient norms, deep batch-norm and
 * residual nets).
 *
 * <p>Halves: within each (intent, kind), in table order, the first configuration is TUNE, the next HOLDOUT, and so
 * on, so every kind is in both halves. Seeds: 1000 (vanishing), 2000 (exploding), 3000 (healthy) plus the position
 * within the intent. The table's order is part of the set: do not reorder it; add new configurations at the end of
 * their intent.
 */
final class CalibrationSet {

    /** Epochs of every run: the full budget the labels are computed from. */
    static final int EPOCHS = 15;

    private CalibrationSet() {
    }

    /** The set, in table order. */
    static List<CalibrationConfig> configs() {
        Table t = new Table();

        // ---- chosen to vanish: stuck at chance with a starved first layer ------------------------------------
        t.add(VANISHING, "small-init", DIGITS, p("sigmoid", "normal_small", "sgd", 0.1, 6));
        t.add(VANISHING, "small-init", DIGITS, p("sigmoid", "normal_small", "adam", 1e-3, 8));
        t.add(VANISHING, "small-signal", DIGITS, p("tanh", "normal_small", "nesterov", 0.01, 6));
        t.add(VANISHING, "small-signal", DIGITS, p("elu", "normal_small", "nesterov", 0.01, 8));
        t.add(VANISHING, "small-init", DIGITS, p("relu", "normal_small", "sgd", 0.05, 10));
        t.add(VANISHING, "deep-saturating", DIGITS, p("sigmoid", "xavier", "sgd", 0.01, 12));
        t.add(VANISHING, "small-init", BREAST_CANCER, p("sigmoid", "normal_small", "sgd", 0.1, 6));
        t.add(VANISHING, "small-signal", BREAST_CANCER, p("tanh", "normal_small", "nesterov", 0.01, 8));
        t.add(VANISHING, "small-init", BREAST_CANCER, p("gelu", "normal_small", "sgd", 0.1, 8));
        t.add(VANISHING, "small-init", BREAST_CANCER, p("leakyrelu", "normal_small", "sgd", 0.05, 10));
        t.add(VANISHING, "small-init", BREAST_CANCER, p("sigmoid", "normal_small", "rmsprop", 1e-4, 6));
        t.add(VANISHING, "small-init", BREAST_CANCER, p("elu", "normal_small", "sgd", 0.1, 12));
        t.add(VANISHING, "small-init", WINE, p("sigmoid", "normal_small", "sgd", 0.1, 6));
        t.add(VANISHING, "small-signal", WINE, p("tanh", "normal_small", "nesterov", 0.01, 6));
        t.add(VANISHING, "small-signal", WINE, p("elu", "normal_small", "nesterov", 0.005, 10));
        t.add(VANISHING, "small-init", WINE, p("relu", "normal_small", "adam", 1e-3, 12));
        t.add(VANISHING, "deep-saturating", WINE, p("sigmoid", "xavier", "sgd", 0.05, 10));
        t.add(VANISHING, "small-signal", WINE, p("gelu", "normal_small", "nesterov", 0.01, 8));
        t.add(VANISHING, "small-init", FASHION, p("sigmoid", "normal_small", "sgd", 0.1, 6));
        t.add(VANISHING, "small-signal", FASHION, p("tanh", "normal_small", "nesterov", 0.01, 8));
        t.add(VANISHING, "small-init", FASHION, p("relu", "normal_small", "sgd", 0.1, 10));
        t.add(VANISHING, "small-signal", FASHION, p("elu", "normal_small", "nesterov", 0.01, 6));
        t.add(VANISHING, "small-init", FASHION, p("sigmoid", "normal_small", "adam", 1e-3, 8));
        t.add(VANISHING, "dead-relu", FASHION, p("relu", "he", "sgd", 0.01, 4, "scaling", "none"));
        t.add(VANISHING, "dead-relu", DIGITS, p("relu", "he", "adam", 0.1, 4));
        t.add(VANISHING, "dead-relu", BREAST_CANCER, p("relu", "xavier", "sgd", 1.0, 3));
        t.add(VANISHING, "dead-relu", WINE, p("relu", "he", "adam", 0.3, 4));
        t.add(VANISHING, "dead-relu", FASHION, p("relu", "he", "rmsprop", 0.1, 3));
        t.add(VANISHING, "small-signal", DIGITS, p("tanh", "normal_small", "sgd", 0.1, 4));
        t.add(VANISHING, "small-signal", FASHION, p("gelu", "normal_small", "nesterov", 0.01, 6));
        t.add(VANISHING, "small-signal", BREAST_CANCER, p("elu", "normal_small", "nesterov", 0.01, 4));
        t.add(VANISHING, "small-signal", WINE, p("tanh", "normal_small", "nesterov", 0.005, 4));

        // ---- chosen to explode: non-finite, runaway loss, or blown up and stuck --------------------------------
        t.add(EXPLODING, "high-rate", DIGITS, p("relu", "he", "sgd", 5.0, 6));
        t.add(EXPLODING, "blowup-saturate", DIGITS, p("sigmoid", "xavier", "adam", 1.0, 4));
        t.add(EXPLODING, "high-rate", DIGITS, p("relu", "he", "nesterov", 1.0, 8));
        t.add(EXPLODING, "high-rate", DIGITS, p("tanh", "xavier", "sgd", 5.0, 6));
        t.add(EXPLODING, "blowup-saturate", DIGITS, p("relu", "he", "rmsprop", 0.5, 6));
        t.add(EXPLODING, "residual-bn", DIGITS, p("relu", "he", "sgd", 1.0, 10, "residual", true));
        t.add(EXPLODING, "high-rate", BREAST_CANCER, p("relu", "he", "sgd", 5.0, 4));
        t.add(EXPLODING, "blowup-saturate", BREAST_CANCER, p("sigmoid", "xavier", "adam", 2.0, 6));
        t.add(EXPLODING, "unscaled", BREAST_CANCER, p("relu", "he", "sgd", 0.1, 4, "scaling", "none"));
        t.add(EXPLODING, "high-rate", BREAST_CANCER, p("elu", "he", "nesterov", 2.0, 6));
        t.add(EXPLODING, "blowup-saturate", BREAST_CANCER, p("leakyrelu", "he", "rmsprop", 1.0, 8));
        t.add(EXPLODING, "high-rate", BREAST_CANCER, p("gelu", "xavier", "sgd", 5.0, 3));
        t.add(EXPLODING, "high-rate", WINE, p("relu", "he", "sgd", 5.0, 6));
        t.add(EXPLODING, "blowup-saturate", WINE, p("sigmoid", "xavier", "adam", 5.0, 3));
        t.add(EXPLODING, "unscaled", WINE, p("relu", "he", "sgd", 0.05, 2, "scaling", "none"));
        t.add(EXPLODING, "high-rate", WINE, p("tanh", "xavier", "nesterov", 3.0, 6));
        t.add(EXPLODING, "residual-bn", WINE, p("relu", "he", "nesterov", 1.0, 8, "residual", true));
        t.add(EXPLODING, "blowup-saturate", WINE, p("relu", "xavier", "adam", 5.0, 4));
        t.add(EXPLODING, "high-rate", FASHION, p("relu", "he", "sgd", 2.0, 6));
        t.add(EXPLODING, "unscaled", FASHION, p("relu", "he", "sgd", 0.05, 4, "scaling", "none"));
        t.add(EXPLODING, "blowup-saturate", FASHION, p("sigmoid", "xavier", "adam", 1.0, 4));
        t.add(EXPLODING, "high-rate", FASHION, p("elu", "he", "sgd", 5.0, 8));
        t.add(EXPLODING, "residual-bn", FASHION, p("relu", "he", "sgd", 5.0, 6, "batch_norm", true));
        t.add(EXPLODING, "high-rate", FASHION, p("relu", "he", "nadam", 1.0, 6));
        t.add(EXPLODING, "blowup-saturate", DIGITS, p("sigmoid", "xavier", "adam", 3.0, 2));
        t.add(EXPLODING, "blowup-saturate", FASHION, p("tanh", "xavier", "adam", 2.0, 3));

        // ---- chosen to be healthy, including large-norm nets on unscaled inputs ---------------------------------
        t.add(HEALTHY, "standard", DIGITS, p("relu", "he", "adam", 1e-3, 2));
        t.add(HEALTHY, "standard", DIGITS, p("tanh", "xavier", "sgd", 0.05, 4));
        t.add(HEALTHY, "elu-gelu", DIGITS, p("elu", "he", "adam", 1e-3, 6));
        t.add(HEALTHY, "elu-gelu", DIGITS, p("gelu", "xavier", "adam", 1e-3, 4));
        t.add(HEALTHY, "deep-bn-residual", DIGITS, p("relu", "he", "adam", 1e-3, 12, "batch_norm", true));
        t.add(HEALTHY, "unscaled", DIGITS, p("relu", "he", "adam", 1e-3, 3, "scaling", "none"));
        t.add(HEALTHY, "standard", BREAST_CANCER, p("relu", "he", "adam", 1e-3, 3));
        t.add(HEALTHY, "unscaled", BREAST_CANCER, p("relu", "he", "rmsprop", 0.01, 3, "scaling", "none"));
        t.add(HEALTHY, "standard", BREAST_CANCER, p("sigmoid", "xavier", "adam", 1e-2, 2));
        t.add(HEALTHY, "standard", BREAST_CANCER, p("leakyrelu", "he", "nesterov", 0.01, 6));
        t.add(HEALTHY, "elu-gelu", BREAST_CANCER, p("elu", "xavier", "sgd", 0.1, 4));
        t.add(HEALTHY, "deep-bn-residual", BREAST_CANCER, p("relu", "he", "adam", 1e-3, 12, "residual", true));
        t.add(HEALTHY, "standard", WINE, p("relu", "he", "adam", 3e-3, 2));
        t.add(HEALTHY, "standard", WINE, p("tanh", "xavier", "adam", 1e-2, 4));
        t.add(HEALTHY, "elu-gelu", WINE, p("gelu", "he", "nesterov", 0.02, 3));
        t.add(HEALTHY, "unscaled", WINE, p("relu", "he", "rmsprop", 0.01, 2, "scaling", "none"));
        t.add(HEALTHY, "deep-bn-residual", WINE, p("elu", "he", "adam", 1e-2, 8, "batch_norm", true));
        t.add(HEALTHY, "standard", WINE, p("sigmoid", "xavier", "nadam", 1e-2, 2));
        t.add(HEALTHY, "standard", FASHION, p("relu", "he", "adam", 1e-3, 2, "units", 128));
        t.add(HEALTHY, "unscaled", FASHION, p("relu", "he", "adam", 1e-3, 3, "scaling", "none"));
        t.add(HEALTHY, "standard", FASHION, p("tanh", "xavier", "sgd", 0.05, 3));
        t.add(HEALTHY, "elu-gelu", FASHION, p("elu", "he", "nadam", 1e-3, 4));
        t.add(HEALTHY, "deep-bn-residual", FASHION,
                p("relu", "he", "adam", 1e-3, 8, "residual", true, "batch_norm", true));
        t.add(HEALTHY, "elu-gelu", FASHION, p("gelu", "he", "rmsprop", 1e-3, 3));
        t.add(HEALTHY, "unscaled", BREAST_CANCER, p("relu", "he", "rmsprop", 0.05, 2, "scaling", "none"));
        t.add(HEALTHY, "unscaled", WINE, p("relu", "he", "rmsprop", 0.003, 2, "scaling", "none"));
        t.add(HEALTHY, "unscaled", DIGITS, p("relu", "he", "rmsprop", 0.01, 3, "scaling", "none"));
        t.add(HEALTHY, "unscaled", FASHION, p("relu", "he", "rmsprop", 1e-3, 2, "scaling", "none"));
        return t.configs;
    }

    /** Base parameters (64 units per hidden layer) plus extra key-value pairs. */
    static Map<String, Object> p(String activation, String init, String optimizer, double rate, int layers,
                                 Object... extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("activation", activation);
        p.put("weight_init", init);
        p.put("optimizer", optimizer);
        p.put("learning_rate", rate);
        p.put("layers", layers);
        p.put("units", 64);
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    /** Builds the table: ids, seeds and halves follow from the order of the calls. */
    private static final class Table {
        private final List<CalibrationConfig> configs = new ArrayList<>();
        private final Map<Intent, Integer> perIntent = new EnumMap<>(Intent.class);
        private final Map<String, Integer> perKind = new HashMap<>();

        void add(Intent intent, String kind, CalibrationData data, Map<String, Object> params) {
            int k = perIntent.merge(intent, 1, Integer::sum) - 1;
            int inKind = perKind.merge(intent + "/" + kind, 1, Integer::sum) - 1;
            Half half = inKind % 2 == 0 ? Half.TUNE : Half.HOLDOUT;
            Map<String, Object> p = new LinkedHashMap<>(params);
            p.putIfAbsent("batch_size", data.batchSize());
            String id = String.format("%s%02d-%s-%s", intent.name().substring(0, 1).toLowerCase(), k + 1,
                    data.name().toLowerCase().replace('_', '-'), name(params));
            long seed = 1000L * (intent.ordinal() + 1) + k;
            configs.add(new CalibrationConfig(id, intent, kind, data, p, seed, half));
        }

        /** activation-init-optimizer+rate-L+depth, then what else is set: unscaled, residual, batchnorm, width. */
        private static String name(Map<String, Object> p) {
            double rate = (Double) p.get("learning_rate");
            StringBuilder s = new StringBuilder(p.get("activation") + "-" + p.get("weight_init") + "-"
                    + p.get("optimizer")
                    + (rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate))
                    + "-L" + p.get("layers"));
            if ("none".equals(p.get("scaling"))) {
                s.append("-unscaled");
            }
            if (Boolean.TRUE.equals(p.get("residual"))) {
                s.append("-residual");
            }
            if (Boolean.TRUE.equals(p.get("batch_norm"))) {
                s.append("-batchnorm");
            }
            if (!Integer.valueOf(64).equals(p.get("units"))) {
                s.append("-w").append(p.get("units"));
            }
            return s.toString();
        }
    }
}
