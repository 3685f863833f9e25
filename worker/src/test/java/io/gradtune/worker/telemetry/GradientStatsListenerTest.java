package io.gradtune.worker.telemetry;

import io.gradtune.worker.model.HyperParameters;
import io.gradtune.worker.model.NetworkBuilder;
import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.model.UserModelFixtures;
import io.gradtune.worker.model.UserModels;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.train.WorkerRuntime;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener's statistics read from the flat gradient and parameter arrays match the same statistics computed
 * with ND4J reductions on the per-layer views, on plain and residual networks and on a run that diverges to
 * NaN/Inf (same counts).
 */
class GradientStatsListenerTest {

    private static final int FEATURES = 12;
    private static final int CLASSES = 4;
    private static final int ROWS = 48;

    @Test
    void flatStatisticsMatchNd4jReductionsOnAPlainNetwork() {
        compare(Map.of("layers", 3, "units", 32, "activation", "tanh", "optimizer", "adam", "learning_rate", 1e-2),
                false);
    }

    @Test
    void flatStatisticsMatchNd4jReductionsOnAResidualNetworkWithBatchNormAndClipping() {
        compare(Map.of("layers", 3, "units", 16, "activation", "relu", "residual", true, "batch_norm", true,
                "gradient_clip", 0.5, "optimizer", "sgd", "learning_rate", 0.05), false);
    }

    @Test
    void divergingTrainingCountsTheSameNanAndInfiniteEntriesBothWays() {
        List<LayerStats>[] both = compare(Map.of("layers", 3, "units", 16, "activation", "relu",
                "weight_init", "he", "optimizer", "sgd", "learning_rate", 1e12), true);
        long nonFinite = both[0].stream().mapToLong(s -> s.nanCount() + s.infCount()).sum();
        assertTrue(nonFinite > 0, "the run was meant to diverge: " + both[0]);
    }

    /** Trains a few mini-batches with both listeners attached and compares their epoch statistics. */
    @SuppressWarnings("unchecked")
    private static List<LayerStats>[] compare(Map<String, Object> params, boolean diverge) {
        WorkerRuntime.ensureInitialized();
        HyperParameters h = HyperParameters.from(new LinkedHashMap<>(params));
        return compare(NetworkBuilder.build(h, FEATURES, CLASSES, 7L), diverge);
    }

    /**
     * A user's CNN (convolution, batch normalization's gamma, dense, output): read from the flat arrays too, with
     * the same figures as ND4J's reductions.
     */
    @Test
    void flatStatisticsMatchNd4jReductionsOnAUserConvolutionalNetwork() {
        WorkerRuntime.ensureInitialized();
        TrainableNetwork net = UserModels.build(UserModelFixtures.TinyCnn.class.getName(), Map.of("filters", 3),
                16, CLASSES, 7L);
        assertEquals(List.of("conv", "batchnorm", "dense", "output"),
                compare(net, false)[0].stream().map(LayerStats::kind).toList());
    }

    @SuppressWarnings("unchecked")
    private static List<LayerStats>[] compare(TrainableNetwork net, boolean diverge) {
        int width = inputWidth(net);
        GradientStatsListener flat = new GradientStatsListener(net, () -> false, true, false);
        GradientStatsListener nd4j = new GradientStatsListener(net, () -> false, true, true);
        net.setListeners(flat, nd4j);
        Random random = new Random(3);
        float[] x = new float[ROWS * width];
        float[] y = new float[ROWS * CLASSES];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < width; c++) {
                x[r * width + c] = (float) (random.nextGaussian() * (diverge ? 100 : 1));
            }
            y[r * CLASSES + random.nextInt(CLASSES)] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[]{ROWS, width}, DataType.FLOAT);
        INDArray labels = Nd4j.create(y, new long[]{ROWS, CLASSES}, DataType.FLOAT);
        List<LayerStats> a = null;
        List<LayerStats> b = null;
        for (int epoch = 0; epoch < 2; epoch++) {
            flat.startEpoch();
            nd4j.startEpoch();
            for (int batch = 0; batch < 3; batch++) {
                net.fit(features, labels);
            }
            assertTrue(flat.readsFlatArrays(), "the flat layout was not resolved");
            a = flat.endEpoch(features);
            b = nd4j.endEpoch(features);
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                LayerStats f = a.get(i);
                LayerStats n = b.get(i);
                String where = "epoch " + epoch + " layer " + i + ": flat " + f + " vs nd4j " + n;
                assertEquals(n.nanCount(), f.nanCount(), where);
                assertEquals(n.infCount(), f.infCount(), where);
                close(n.gradL2(), f.gradL2(), where);
                close(n.gradMeanAbs(), f.gradMeanAbs(), where);
                close(n.gradMaxAbs(), f.gradMaxAbs(), where);
                close(n.updateRatio(), f.updateRatio(), where);
                if (!diverge) {
                    assertTrue(f.gradL2() > 0 && f.updateRatio() > 0 && f.allFinite(), where);
                }
            }
        }
        assertEquals(nd4j.meanLoss(), flat.meanLoss(), 0.0);
        return new List[]{a, b};
    }

    /** The input width a network takes: 16 for the 4x4 user CNN, else the built-in networks' {@link #FEATURES}. */
    private static int inputWidth(TrainableNetwork net) {
        return net.layers().get(0).kind().equals("conv") ? 16 : GradientStatsListenerTest.FEATURES;
    }

    /**
     * Equal within float rounding (ND4J reduces in float, the flat path in double); non-finite on both sides, or
     * beyond float range where ND4J's float result overflowed.
     */
    private static void close(double expected, double actual, String where) {
        if (!Double.isFinite(expected) || !Double.isFinite(actual)) {
            assertTrue(!Double.isFinite(actual) || Math.abs(actual) > Float.MAX_VALUE, where);
            return;
        }
        assertEquals(expected, actual, 1e-4 * Math.max(Math.abs(expected), 1e-30), where);
    }
}
