package io.gradtune.driver.calibration;

import java.util.Map;
import java.util.TreeMap;

/**
 * One configuration of the calibration set: what it is meant to show (its intended kind, which is not its label:
 * the label comes from how the full-budget run ended), the data, the network and optimizer parameters, the seed of
 * its initial weights and mini-batch order, and the half it belongs to.
 *
 * @param id     unique, stable name: kind, dataset and the parameters that matter
 * @param intent the failure (or health) the configuration was chosen to produce
 * @param kind   the finer kind of failure (or of healthy net) within the intent, e.g. {@code small-signal},
 *               {@code unscaled}: halves alternate within it, so each kind is in both halves
 * @param data   the dataset
 * @param params the trial's parameter assignment (worker {@code HyperParameters} names)
 * @param seed   the trial seed
 * @param half   tune or holdout
 */
record CalibrationConfig(String id, Intent intent, String kind, CalibrationData data, Map<String, Object> params,
                         long seed, Half half) {

    /** What a configuration was chosen to produce. */
    enum Intent { VANISHING, EXPLODING, HEALTHY }

    /** Thresholds may be fitted on TUNE only; HOLDOUT checks that they were not fitted to it. */
    enum Half { TUNE, HOLDOUT }

    CalibrationConfig {
        params = Map.copyOf(params);
    }

    /** The parameters in key order, for files and messages. */
    String paramsText() {
        return new TreeMap<>(params).toString();
    }
}
