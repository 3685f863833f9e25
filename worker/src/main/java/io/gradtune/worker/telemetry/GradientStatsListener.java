package io.gradtune.worker.telemetry;

import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.LayerStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Collects per-layer gradient statistics during an epoch and checks for a stop request at every mini-batch.
 *
 * <p>{@code onGradientCalculation} sees the raw gradient before the updater; {@code iterationDone} sees the
 * update that was applied, which gives the update/weight ratio. Every mini-batch contributes to every figure.
 *
 * <p>The figures are read straight from the network's flat gradient and parameter arrays ({@link FlatSegments}):
 * one Java pass over each layer's weight gradient (sum of squares, sum of absolute values, maximum) and one over
 * its update and weights, with no ND4J op, so they cost a small fraction of the mini-batch's own training step.
 * Sums are accumulated in double; a NaN or infinite entry makes them non-finite, and only then are the entries
 * counted. If the flat layout cannot be confirmed the listener falls back to ND4J reductions (the same figures,
 * about fifteen native ops per mini-batch for a three-layer net).
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
    private final boolean useNd4j;
    private final double[] sums = new double[3];
    private final long[] nonFinite = new long[2];
    private FlatSegments flat;
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
        this(network, stopRequested, enabled, false);
    }

    /** {@code useNd4j = true} always uses ND4J reductions (tests compare both paths). */
    GradientStatsListener(TrainableNetwork network, BooleanSupplier stopRequested, boolean enabled, boolean useNd4j) {
        this.useNd4j = useNd4j;
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

    /** Mini-batches trained since {@link #startEpoch()}. */
    public int batchesInEpoch() {
        return batches;
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
        FlatSegments f = segments(g);
        for (int i = 0; i < layers.size(); i++) {
            if (f != null) {
                f.gradientSums(i, sums);
                if (!Double.isFinite(sums[0]) || !Double.isFinite(sums[1])) {
                    nonFinite[0] = 0;
                    nonFinite[1] = 0;
                    f.countNonFinite(i, nonFinite);
                    nanCount[i] += nonFinite[0];
                    infCount[i] += nonFinite[1];
                }
                addGradient(i, Math.sqrt(sums[0]), sums[1] / f.length(i), sums[2]);
                continue;
            }
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
            addGradient(i, l2, l1 / grad.length(), max);
        }
        batches++;
        statsNanos += System.nanoTime() - t0;
    }

    private void addGradient(int i, double l2, double meanAbs, double max) {
        gradL2[i] += l2;
        gradMeanAbs[i] += meanAbs;
        gradMaxAbs[i] = Double.isNaN(max) || Double.isNaN(gradMaxAbs[i]) ? Double.NaN : Math.max(gradMaxAbs[i], max);
    }

    /** The flat layout, resolved on first use and again if the network replaced its flat arrays; null = ND4J. */
    private FlatSegments segments(Map<String, INDArray> gradientViews) {
        if (useNd4j) {
            return null;
        }
        if (flat == null || !flat.isCurrent(network)) {
            flat = FlatSegments.resolve(network, layers, gradientViews);
        }
        return flat;
    }

    /** L2 norm of layer {@code i}'s weights now. */
    private double weightL2(int i) {
        if (!useNd4j && flat != null && flat.isCurrent(network)) {
            return Math.sqrt(flat.weightSumOfSquares(i));
        }
        return network.weights(layers.get(i)).norm2Number().doubleValue();
    }

    /** Whether the last mini-batch's statistics were read from the flat arrays (false: ND4J reductions). */
    boolean readsFlatArrays() {
        return flat != null && !useNd4j;
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
            FlatSegments f = segments(u);
            for (int i = 0; i < layers.size(); i++) {
                if (f != null) {
                    f.updateAndWeightSumsOfSquares(i, sums);
                    updateRatio[i] += Math.sqrt(sums[0]) / Math.max(Math.sqrt(sums[1]), 1e-12);
                    continue;
                }
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
     * A layer's activations as one row per example: a convolution's [examples, channels, height, width] or a
     * recurrent layer's [examples, units, steps] flattened per example, so every (channel, position) is a unit of
     * the activation health (dead: never positive on any probe row, at that position).
     */
    static INDArray perExample(INDArray a) {
        if (a.rank() <= 2) {
            return a;
        }
        long n = a.size(0);
        return a.reshape('c', n, a.length() / n);
    }

    /**
     * The epoch's layer statistics, with activation health measured on {@code probe} (tests; the trainer passes
     * the validation pass's activations instead).
     */
    List<LayerStats> endEpoch(INDArray probe) {
        return endEpoch(network.activations(probe), (int) probe.rows());
    }

    /**
     * The epoch's layer statistics, with activation health measured on the first {@code probeRows} rows of
     * {@code activations} (as returned by {@link TrainableNetwork#activations(INDArray)}).
     */
    public List<LayerStats> endEpoch(Map<String, INDArray> activations, int probeRows) {
        Map<String, INDArray> acts = new java.util.HashMap<>();
        for (TrainableNetwork.LayerInfo info : layers) {
            INDArray a = perExample(activations.get(info.key()));
            acts.put(info.key(), a.rows() == probeRows ? a
                    : a.get(NDArrayIndex.interval(0, probeRows), NDArrayIndex.all()));
        }
        List<LayerStats> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            TrainableNetwork.LayerInfo info = layers.get(i);
            ActivationHealth health = ActivationHealth.of(info.activation(), acts.get(info.key()));
            int b = Math.max(1, batches);
            int u = Math.max(1, updates);
            out.add(new LayerStats(i, info.key(), info.kind(), info.activation(),
                    gradL2[i] / b, gradMeanAbs[i] / b, gradMaxAbs[i], updateRatio[i] / u,
                    weightL2(i), nanCount[i], infCount[i],
                    health.deadFraction(), health.saturatedFraction(), health.std(), info.frozen() ? Boolean.TRUE : null));
        }
        return out;
    }
}
