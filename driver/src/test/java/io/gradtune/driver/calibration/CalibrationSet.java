package io.gradtune.driver.calibration;

import io.gradtune.driver.calibration.CalibrationConfig.Half;
import io.gradtune.driver.calibration.CalibrationConfig.Intent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gradtune.driver.calibration.CalibrationData.BREAST_CANCER;
import static io.gradtune.driver.calibration.CalibrationData.DIGITS;
import static io.gradtune.driver.calibration.CalibrationData.FASHION;
import static io.gradtune.driver.calibration.CalibrationData.WINE;

/**
 * The fixed calibration set of issue 11: 72 configurations, 24 chosen to vanish, 24 to explode and 24 to be healthy,
 * six of each per dataset, over every activation, weight init and optimizer, depths 2-12, learning rates up to 5,
 * batch norm, residual connections and unscaled inputs. The kinds of failure the issue names each have
 * configurations: small-init nets whose whole signal is small (tanh, ELU, GELU with momentum SGD), dead ReLUs on
 * unscaled inputs, sigmoid + Adam at high rates (blow-up in epoch 1, then saturation), unscaled inputs with large but
 * harmless gradient norms (RMSprop / Adam on breast cancer, digits, Fashion-MNIST).
 *
 * <p>Halves: within each intended kind, in table order, the first configuration is TUNE, the next HOLDOUT, and so
 * on. Seeds: 1000 + the position in the table. The order of the table is part of the set: do not reorder it; add
 * new configurations at the end of their kind.
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
        t.vanishing(DIGITS, "sigmoid", "normal_small", "sgd", 0.1, 6);
        t.vanishing(DIGITS, "sigmoid", "normal_small", "adam", 1e-3, 8);
        t.vanishing(DIGITS, "tanh", "normal_small", "nesterov", 0.01, 6);     // whole signal small
        t.vanishing(DIGITS, "elu", "normal_small", "nesterov", 0.01, 8);      // whole signal small
        t.vanishing(DIGITS, "relu", "normal_small", "sgd", 0.05, 10);
        t.vanishing(DIGITS, "sigmoid", "xavier", "sgd", 0.01, 12);
        t.vanishing(BREAST_CANCER, "sigmoid", "normal_small", "sgd", 0.1, 6);
        t.vanishing(BREAST_CANCER, "tanh", "normal_small", "nesterov", 0.01, 8);
        t.vanishing(BREAST_CANCER, "gelu", "normal_small", "sgd", 0.1, 8);
        t.vanishing(BREAST_CANCER, "leakyrelu", "normal_small", "sgd", 0.05, 10);
        t.vanishing(BREAST_CANCER, "sigmoid", "normal_small", "rmsprop", 1e-4, 6);
        t.vanishing(BREAST_CANCER, "elu", "normal_small", "sgd", 0.1, 12);
        t.vanishing(WINE, "sigmoid", "normal_small", "sgd", 0.1, 6);
        t.vanishing(WINE, "tanh", "normal_small", "nesterov", 0.01, 6);
        t.vanishing(WINE, "elu", "normal_small", "nesterov", 0.005, 10);
        t.vanishing(WINE, "relu", "normal_small", "adam", 1e-3, 12);
        t.vanishing(WINE, "sigmoid", "xavier", "sgd", 0.05, 10);
        t.vanishing(WINE, "gelu", "normal_small", "nesterov", 0.01, 8);
        t.vanishing(FASHION, "sigmoid", "normal_small", "sgd", 0.1, 6);
        t.vanishing(FASHION, "tanh", "normal_small", "nesterov", 0.01, 8);
        t.vanishing(FASHION, "relu", "normal_small", "sgd", 0.1, 10);
        t.vanishing(FASHION, "elu", "normal_small", "nesterov", 0.01, 6);
        t.vanishing(FASHION, "sigmoid", "normal_small", "adam", 1e-3, 8);
        t.add(Intent.VANISHING, FASHION, "relu-he-sgd0.01-L4-unscaled-dead",   // dead ReLUs after a huge first step
                params("relu", "he", "sgd", 0.01, 4, "scaling", "none"));

        // ---- chosen to explode: non-finite, runaway loss, or blown up and stuck --------------------------------
        t.exploding(DIGITS, "relu", "he", "sgd", 5.0, 6);
        t.exploding(DIGITS, "sigmoid", "xavier", "adam", 1.0, 4);             // blows up in epoch 1, saturates
        t.exploding(DIGITS, "relu", "he", "nesterov", 1.0, 8);
        t.exploding(DIGITS, "tanh", "xavier", "sgd", 5.0, 6);
        t.exploding(DIGITS, "relu", "he", "rmsprop", 0.5, 6);
        t.add(Intent.EXPLODING, DIGITS, "relu-he-sgd1-L10-residual",
                params("relu", "he", "sgd", 1.0, 10, "residual", true));
        t.exploding(BREAST_CANCER, "relu", "he", "sgd", 5.0, 4);
        t.exploding(BREAST_CANCER, "sigmoid", "xavier", "adam", 2.0, 6);
        t.add(Intent.EXPLODING, BREAST_CANCER, "relu-he-sgd0.1-L4-unscaled",
                params("relu", "he", "sgd", 0.1, 4, "scaling", "none"));
        t.exploding(BREAST_CANCER, "elu", "he", "nesterov", 2.0, 6);
        t.exploding(BREAST_CANCER, "leakyrelu", "he", "rmsprop", 1.0, 8);
        t.exploding(BREAST_CANCER, "gelu", "xavier", "sgd", 5.0, 3);
        t.exploding(WINE, "relu", "he", "sgd", 5.0, 6);
        t.exploding(WINE, "sigmoid", "xavier", "adam", 5.0, 3);
        t.add(Intent.EXPLODING, WINE, "relu-he-sgd0.05-L2-unscaled",
                params("relu", "he", "sgd", 0.05, 2, "scaling", "none"));
        t.exploding(WINE, "tanh", "xavier", "nesterov", 3.0, 6);
        t.add(Intent.EXPLODING, WINE, "relu-he-nesterov1-L8-residual",
                params("relu", "he", "nesterov", 1.0, 8, "residual", true));
        t.exploding(WINE, "relu", "xavier", "adam", 5.0, 4);
        t.exploding(FASHION, "relu", "he", "sgd", 2.0, 6);
        t.add(Intent.EXPLODING, FASHION, "relu-he-sgd0.05-L4-unscaled",
                params("relu", "he", "sgd", 0.05, 4, "scaling", "none"));
        t.exploding(FASHION, "sigmoid", "xavier", "adam", 1.0, 4);
        t.exploding(FASHION, "elu", "he", "sgd", 5.0, 8);
        t.add(Intent.EXPLODING, FASHION, "relu-he-sgd5-L6-batchnorm",
                params("relu", "he", "sgd", 5.0, 6, "batch_norm", true));
        t.exploding(FASHION, "relu", "he", "nadam", 1.0, 6);

        // ---- chosen to be healthy, including large-norm nets on unscaled inputs ---------------------------------
        t.healthy(DIGITS, "relu", "he", "adam", 1e-3, 2);
        t.healthy(DIGITS, "tanh", "xavier", "sgd", 0.05, 4);
        t.healthy(DIGITS, "elu", "he", "adam", 1e-3, 6);
        t.healthy(DIGITS, "gelu", "xavier", "adam", 1e-3, 4);
        t.add(Intent.HEALTHY, DIGITS, "relu-he-adam0.001-L12-batchnorm",
                params("relu", "he", "adam", 1e-3, 12, "batch_norm", true));
        t.add(Intent.HEALTHY, DIGITS, "relu-he-adam0.001-L3-unscaled",
                params("relu", "he", "adam", 1e-3, 3, "scaling", "none"));
        t.healthy(BREAST_CANCER, "relu", "he", "adam", 1e-3, 3);
        t.add(Intent.HEALTHY, BREAST_CANCER, "relu-he-rmsprop0.01-L3-unscaled",
                params("relu", "he", "rmsprop", 0.01, 3, "scaling", "none"));
        t.healthy(BREAST_CANCER, "sigmoid", "xavier", "adam", 1e-2, 2);
        t.healthy(BREAST_CANCER, "leakyrelu", "he", "nesterov", 0.01, 6);
        t.healthy(BREAST_CANCER, "elu", "xavier", "sgd", 0.1, 4);
        t.add(Intent.HEALTHY, BREAST_CANCER, "relu-he-adam0.001-L12-residual",
                params("relu", "he", "adam", 1e-3, 12, "residual", true));
        t.healthy(WINE, "relu", "he", "adam", 3e-3, 2);
        t.healthy(WINE, "tanh", "xavier", "adam", 1e-2, 4);
        t.healthy(WINE, "gelu", "he", "nesterov", 0.02, 3);
        t.add(Intent.HEALTHY, WINE, "relu-he-rmsprop0.01-L2-unscaled",
                params("relu", "he", "rmsprop", 0.01, 2, "scaling", "none"));
        t.add(Intent.HEALTHY, WINE, "elu-he-adam0.01-L8-batchnorm",
                params("elu", "he", "adam", 1e-2, 8, "batch_norm", true));
        t.healthy(WINE, "sigmoid", "xavier", "nadam", 1e-2, 2);
        t.add(Intent.HEALTHY, FASHION, "relu-he-adam0.001-L2-w128",
                params("relu", "he", "adam", 1e-3, 2, "units", 128));
        t.add(Intent.HEALTHY, FASHION, "relu-he-adam0.001-L3-unscaled",
                params("relu", "he", "adam", 1e-3, 3, "scaling", "none"));
        t.healthy(FASHION, "tanh", "xavier", "sgd", 0.05, 3);
        t.healthy(FASHION, "elu", "he", "nadam", 1e-3, 4);
        t.add(Intent.HEALTHY, FASHION, "relu-he-adam0.001-L8-residual-batchnorm",
                params("relu", "he", "adam", 1e-3, 8, "residual", true, "batch_norm", true));
        t.healthy(FASHION, "gelu", "he", "rmsprop", 1e-3, 3);
        return t.configs;
    }

    /** Base parameters (64 units per hidden layer) plus extra key-value pairs. */
    static Map<String, Object> params(String activation, String init, String optimizer, double rate, int layers,
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

        void vanishing(CalibrationData data, String act, String init, String opt, double rate, int layers) {
            add(Intent.VANISHING, data, name(act, init, opt, rate, layers), params(act, init, opt, rate, layers));
        }

        void exploding(CalibrationData data, String act, String init, String opt, double rate, int layers) {
            add(Intent.EXPLODING, data, name(act, init, opt, rate, layers), params(act, init, opt, rate, layers));
        }

        void healthy(CalibrationData data, String act, String init, String opt, double rate, int layers) {
            add(Intent.HEALTHY, data, name(act, init, opt, rate, layers), params(act, init, opt, rate, layers));
        }

        void add(Intent intent, CalibrationData data, String name, Map<String, Object> params) {
            int k = perIntent.merge(intent, 1, Integer::sum) - 1;
            Half half = k % 2 == 0 ? Half.TUNE : Half.HOLDOUT;
            Map<String, Object> p = new LinkedHashMap<>(params);
            p.putIfAbsent("batch_size", data.batchSize());
            String id = String.format("%s%02d-%s-%s", intent.name().substring(0, 1).toLowerCase(), k + 1,
                    data.name().toLowerCase().replace('_', '-'), name);
            configs.add(new CalibrationConfig(id, intent, data, p, 1000L + configs.size(), half));
        }

        private static String name(String act, String init, String opt, double rate, int layers) {
            return act + "-" + init + "-" + opt + trim(rate) + "-L" + layers;
        }

        private static String trim(double rate) {
            return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
        }
    }
}
