package io.gradtune.driver.distributed;

import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.telemetry.ActivationHealth;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A data-parallel trial's per-layer statistics as the protocol's {@link LayerStats}: one entry per weight-carrying
 * layer of the worker's {@code LayerInfos} (same order, index, name, kind and activation as a single-task trial's
 * record), built from one epoch's {@link EpochStats} of the averaged parameters.
 *
 * <ul>
 *   <li>{@code weightL2}: the averaged weights' L2 norm after the epoch ({@link LayerUpdate#weightL2()});</li>
 *   <li>{@code updateRatio}: the epoch's ||ΔW|| / ||W|| divided by {@code stepsPerWorker}, the mini-batches each
 *       worker fitted in the epoch: an estimate of the per-step ratio a single-task trial reports (the mean over
 *       its mini-batches), so the rules' update thresholds keep their meaning; it reads low where steps cancel;</li>
 *   <li>gradient figures: NaN, and the record's layer is marked {@link LayerStats#averaged()}: parameter averaging
 *       never brings a gradient to the driver. The gradient tests of the rules and the diagnosis skip such
 *       layers;</li>
 *   <li>{@code nanCount}/{@code infCount}: NaN and infinite entries of the averaged weights;</li>
 *   <li>activation health: measured on the probe rows' activations of the averaged network, as for any trial
 *       (null when no activations are given).</li>
 * </ul>
 */
public final class AveragedLayerStats {

    private AveragedLayerStats() {
    }

    /**
     * @param stats          the epoch's statistics of the averaged parameters
     * @param layers         the network's weight-carrying layers (the worker's {@code LayerInfos}), output last
     * @param weights        the averaged network's parameter table after the epoch, for the NaN/Inf counts
     * @param stepsPerWorker mini-batches each worker fitted in the epoch (at least 1)
     * @param activations    probe-batch activations by layer key, or null
     * @throws IllegalArgumentException when a layer has no entry in {@code stats}
     */
    public static List<LayerStats> of(EpochStats stats, List<TrainableNetwork.LayerInfo> layers,
                                      Map<String, INDArray> weights, int stepsPerWorker,
                                      Map<String, INDArray> activations) {
        if (stepsPerWorker < 1) {
            throw new IllegalArgumentException("steps per worker must be at least 1, got " + stepsPerWorker);
        }
        Map<String, LayerUpdate> byLayer = new HashMap<>();
        stats.layers().forEach(u -> byLayer.put(u.layer(), u));
        List<LayerStats> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            TrainableNetwork.LayerInfo info = layers.get(i);
            LayerUpdate u = byLayer.get(info.key());
            if (u == null) {
                throw new IllegalArgumentException("layer " + info.key() + " (" + info.weightKey() + ") has no "
                        + "statistics in epoch " + stats.epoch() + "; the statistics have " + byLayer.keySet());
            }
            long nan = 0;
            long inf = 0;
            INDArray w = weights == null ? null : weights.get(info.weightKey());
            if (w != null) {
                for (double v : w.dup('c').data().asDouble()) {
                    if (Double.isNaN(v)) {
                        nan++;
                    } else if (Double.isInfinite(v)) {
                        inf++;
                    }
                }
            }
            INDArray a = activations == null ? null : activations.get(info.key());
            ActivationHealth health = a == null ? null : ActivationHealth.of(info.activation(), perExample(a));
            out.add(LayerStats.averaged(i, info.key(), info.kind(), info.activation(),
                    u.updateRatio() / stepsPerWorker, u.weightL2(), nan, inf,
                    health == null ? null : health.deadFraction(), health == null ? null : health.saturatedFraction(),
                    health == null ? null : health.std()));
        }
        return out;
    }

    /**
     * Mini-batches each of {@code workers} fits in one epoch of {@code rows} rows at {@code batchSize}: the epoch's
     * mini-batches shared out evenly, rounded up, at least 1.
     */
    public static int stepsPerWorker(long rows, int batchSize, int workers) {
        long batches = (rows + batchSize - 1) / batchSize;
        return (int) Math.max(1, (batches + workers - 1) / workers);
    }

    /** One row per example: convolution and recurrent activations flattened, as the worker's statistics do. */
    private static INDArray perExample(INDArray a) {
        return a.rank() <= 2 ? a : a.dup('c').reshape('c', a.size(0), a.length() / a.size(0));
    }
}
