package io.gradtune.driver.distributed;

import io.gradtune.worker.model.TrainableNetwork;
import io.gradtune.worker.protocol.LayerStats;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EpochStats} of the averaged parameters -> the protocol's {@link LayerStats}, figure by figure. */
class AveragedLayerStatsTest {

    private static Map<String, INDArray> table(double[] w0, double[] w1, double[] gamma) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("0_W", Nd4j.createFromArray(w0).reshape(2, 2));
        m.put("0_b", Nd4j.createFromArray(1.0, 1.0));
        m.put("1_gamma", Nd4j.createFromArray(gamma));
        m.put("1_beta", Nd4j.createFromArray(0.0, 0.0));
        m.put("2_W", Nd4j.createFromArray(w1).reshape(2, 1));
        return m;
    }

    private static final List<TrainableNetwork.LayerInfo> LAYERS = List.of(
            new TrainableNetwork.LayerInfo(0, "0", "dense", "relu"),
            new TrainableNetwork.LayerInfo(1, "1", "batchnorm", "identity", "gamma"),
            new TrainableNetwork.LayerInfo(2, "2", "output", "softmax"));

    @Test
    void weightsUpdateRatioPerStepNoGradientsAndNanCounts() {
        Map<String, INDArray> before = table(new double[]{3, 0, 0, 4}, new double[]{1, 0}, new double[]{1, 1});
        Map<String, INDArray> after = table(new double[]{3, 0, 0, 4.5}, new double[]{Double.NaN, 0},
                new double[]{1, 1});
        EpochStats stats = EpochStats.between(1, before, after, 0.5);
        assertEquals(List.of("0", "1", "2"), stats.layers().stream().map(LayerUpdate::layer).toList(),
                "batch normalization's gamma is a layer too, as the worker's LayerInfos");
        Map<String, INDArray> acts = Map.of("0", Nd4j.createFromArray(new double[][]{{0, 1}, {0, 2}}));
        List<LayerStats> out = AveragedLayerStats.of(stats, LAYERS, after, 5, acts);

        LayerStats first = out.get(0);
        assertEquals(0, first.index());
        assertEquals("0", first.name());
        assertEquals("dense", first.kind());
        assertEquals("relu", first.activation());
        assertEquals(Math.sqrt(9 + 20.25), first.weightL2(), 1e-9);
        assertEquals(0.5 / 5 / 5, first.updateRatio(), 1e-12, "||dW|| / ||W|| = 0.5 / 5, over 5 steps a worker");
        assertTrue(Double.isNaN(first.gradL2()) && Double.isNaN(first.gradMeanAbs()) && Double.isNaN(first.gradMaxAbs()));
        assertFalse(first.gradientsObserved());
        assertTrue(first.averaged());
        assertTrue(first.allFinite(), first.toString());
        assertEquals(0.5, first.deadFraction(), "one of two relu units never fires on the probe rows");
        assertTrue(first.activationStd() > 0);

        assertEquals("batchnorm", out.get(1).kind());
        assertEquals(0.0, out.get(1).updateRatio());
        assertNull(out.get(1).activationStd(), "no activations given for it");

        LayerStats output = out.get(2);
        assertEquals(1, output.nanCount());
        assertFalse(output.allFinite());
    }

    @Test
    void stepsPerWorkerShareTheEpochsMiniBatches() {
        assertEquals(9, AveragedLayerStats.stepsPerWorker(1078, 64, 2), "17 mini-batches over 2 workers");
        assertEquals(17, AveragedLayerStats.stepsPerWorker(1078, 64, 1));
        assertEquals(1, AveragedLayerStats.stepsPerWorker(3, 64, 4));
    }

    @Test
    void aLayerWithoutStatisticsIsAnError() {
        EpochStats empty = new EpochStats(1, List.of(), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AveragedLayerStats.of(empty, LAYERS, Map.of(), 1, null));
        assertTrue(e.getMessage().contains("layer 0 (0_W)"), e.getMessage());
    }
}
