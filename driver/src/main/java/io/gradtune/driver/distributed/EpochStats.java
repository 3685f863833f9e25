package io.gradtune.driver.distributed;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer statistics of one epoch of data-parallel training, computed from the averaged parameters before and
 * after the epoch: the only parameters that exist on the driver (the workers' own copies and their per-mini-batch
 * updates never leave the executors under parameter averaging).
 *
 * <p>The update ratio here is the whole epoch's net change, ||ΔW|| / ||W||. It is not the per-mini-batch ratio
 * the single-executor worker streams (the mean over mini-batches of ||update|| / ||W||): an epoch's change is
 * roughly that times the mini-batches per epoch (less, where steps cancel), so thresholds written for the one do
 * not apply to the other unchanged.
 *
 * @param epoch   1-based epoch number
 * @param layers  one entry per weight-carrying layer (a parameter key ending in {@code _W}, or {@code _gamma} for
 *                batch normalization, as the worker's {@code LayerInfos}), in parameter order
 * @param seconds wall time of the epoch's training (the Spark jobs), without the statistics
 */
public record EpochStats(int epoch, List<LayerUpdate> layers, double seconds) {

    private static final double FLOOR = 1e-12;

    public EpochStats {
        layers = List.copyOf(layers);
    }

    /**
     * The statistics of the change from {@code before} to {@code after}, two parameter tables of the same network
     * (DL4J's {@code paramTable()}: key {@code layer_W} for a layer's weights, {@code layer_b} for its bias).
     *
     * @throws IllegalArgumentException when a weight key of {@code after} is missing from {@code before} or has
     *                                  another shape
     */
    public static EpochStats between(int epoch, Map<String, INDArray> before, Map<String, INDArray> after,
                                     double seconds) {
        List<LayerUpdate> layers = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : after.entrySet()) {
            String key = e.getKey();
            String suffix = key.endsWith("_W") ? "_W" : key.endsWith("_gamma") ? "_gamma" : null;
            if (suffix == null) {
                continue;
            }
            INDArray old = before.get(key);
            INDArray now = e.getValue();
            if (old == null || !java.util.Arrays.equals(old.shape(), now.shape())) {
                throw new IllegalArgumentException("parameter " + key + " has no counterpart of the same shape "
                        + "before the epoch: the two tables are not of one network");
            }
            double weight = now.norm2Number().doubleValue();
            double delta = now.sub(old).norm2Number().doubleValue();
            double ratio = delta / Math.max(old.norm2Number().doubleValue(), FLOOR);
            layers.add(new LayerUpdate(key.substring(0, key.length() - suffix.length()), weight, ratio));
        }
        return new EpochStats(epoch, layers, seconds);
    }

    /** A detached copy of a parameter table (DL4J's table holds views of the network's one parameter buffer). */
    public static Map<String, INDArray> snapshot(Map<String, INDArray> params) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** True when every layer's figures are finite. */
    public boolean isFinite() {
        return layers.stream().allMatch(LayerUpdate::isFinite);
    }
}
