package io.gradtune.worker.telemetry;

import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.LayerStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Collects per-layer gradient statistics during an epoch and checks for a stop request at every mini-batch.
 *
 * <p>{@code onGradientCalculation} sees the raw gradient before the updater; {@code iterationDone} sees the
 * update that was applied, which gives the update/weight ratio. Each figure costs one ND4J reduction per
 * weight matrix per mini-batch, cheap enough to leave on.
 */
public final class GradientStatsListener extends BaseTrainingListener {

    /** Thrown from inside DL4J's fit when the trial must stop; unwinds the mini-batch loop. */
    public static final class StopRequested extends RuntimeException {
        public StopRequested() {
            super("trial stop requested", null, false, false);
        }
    }

    private final TrainableNetwork network;
    private final List<TrainableNetwork.LayerInfo> layers;
    private final BooleanSupplier stopRequested;
    private final boolean enabled;
    private final double[] gradL2;
    private final double[] gradMeanAbs;
    private final double[] gradMaxAbs;
    private final double[] updateRatio;
    private final long[] nanCount;
    private final long[] infCount;
    private int batches;
    private int updates;
    private double lossSum;
    private long statsNanos;

    public GradientStatsListener(TrainableNetwork network, BooleanSupplier stopRequested) {
        this(network, stopRequested, true);
    }

    /**
     * {@code enabled = false} keeps only the loss and the stop checks (for benchmarks that measure what the
     * statistics cost).
     */
    public GradientStatsListener(TrainableNetwork network, BooleanSupplier stopRequested, boolean enabled) {
        this.network = network;
        this.layers = network.layers();
        this.stopRequested = stopRequested;
        this.enabled = enabled;
        int n = layers.size();
        gradL2 = new double[n];
        gradMeanAbs = new double[n];
        gradMaxAbs = new double[n];
        updateRatio = new double[n];
        nanCount = new long[n];
        infCount = new long[n];
    }

    /** Clears the accumulators at the start of an epoch. */
    public void startEpoch() {
        java.util.Arrays.fill(gradL2, 0);
        java.util.Arrays.fill(gradMeanAbs, 0);
        java.util.Arrays.fill(gradMaxAbs, 0);
        java.util.Arrays.fill(updateRatio, 0);
        java.util.Arrays.fill(nanCount, 0);
        java.util.Arrays.fill(infCount, 0);
        batches = 0;
        updates = 0;
        lossSum = 0;
        statsNanos = 0;
    }

    /** Wall time spent computing gradient statistics since {@link #startEpoch()}. */
    public long statsNanos() {
        return statsNanos;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!enabled) {
            batches++;
            return;
        }
        long t0 = System.nanoTime();
        Map<String, INDArray> g = model.gradient().gradientForVariable();
        for (int i = 0; i < layers.size(); i++) {
            INDArray grad = g.get(layers.get(i).weightKey());
            if (grad == null) {
                continue;
            }
            double l2 = grad.norm2Number().doubleValue();
            double l1 = grad.norm1Number().doubleValue();
            double max = grad.amaxNumber().doubleValue();
            if (!Double.isFinite(l2) || !Double.isFinite(l1)) {
                countNonFinite(i, grad);
            }
            gradL2[i] += l2;
            gradMeanAbs[i] += l1 / grad.length();
            gradMaxAbs[i] = Double.isNaN(max) || Double.isNaN(gradMaxAbs[i]) ? Double.NaN : Math.max(gradMaxAbs[i], max);
        }
        batches++;
        statsNanos += System.nanoTime() - t0;
    }

    private void countNonFinite(int layer, INDArray grad) {
        float[] v = grad.dup().data().asFloat();
        for (float f : v) {
            if (Float.isNaN(f)) {
                nanCount[layer]++;
            } else if (Float.isInfinite(f)) {
                infCount[layer]++;
            }
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long t0 = System.nanoTime();
        Gradient update = enabled ? model.gradient() : null;
        if (update != null) {
            Map<String, INDArray> u = update.gradientForVariable();
            for (int i = 0; i < layers.size(); i++) {
                INDArray step = u.get(layers.get(i).weightKey());
                if (step == null) {
                    continue;
                }
                double w = network.weights(layers.get(i)).norm2Number().doubleValue();
                updateRatio[i] += step.norm2Number().doubleValue() / Math.max(w, 1e-12);
            }
            updates++;
        }
        if (enabled) {
            statsNanos += System.nanoTime() - t0;
        }
        lossSum += model.score();
        if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new StopRequested();
        }
    }

    /** Mean mini-batch loss of the epoch so far. */
    public double meanLoss() {
        return batches == 0 ? Double.NaN : lossSum / Math.max(1, updates == 0 ? batches : updates);
    }

    /**
     * The epoch's layer statistics, with activation health measured on {@code probe}.
     */
    public List<LayerStats> endEpoch(INDArray probe) {
        Map<String, INDArray> acts = network.activations(probe);
        List<LayerStats> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            TrainableNetwork.LayerInfo info = layers.get(i);
            ActivationHealth health = ActivationHealth.of(info.activation(), acts.get(info.key()));
            int b = Math.max(1, batches);
            int u = Math.max(1, updates);
            out.add(new LayerStats(i, info.key(), info.kind(), info.activation(),
                    gradL2[i] / b, gradMeanAbs[i] / b, gradMaxAbs[i], updateRatio[i] / u,
                    network.weights(info).norm2Number().doubleValue(), nanCount[i], infCount[i],
                    health.deadFraction(), health.saturatedFraction(), health.std()));
        }
        return out;
    }
}
