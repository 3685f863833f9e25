package io.gradtune.driver.distributed;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochStatsTest {

    private static Map<String, INDArray> table(float[] w0, float[] b0, float[] w1) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("0_W", Nd4j.createFromArray(w0).reshape(2, 2));
        m.put("0_b", Nd4j.createFromArray(b0));
        m.put("1_W", Nd4j.createFromArray(w1).reshape(2, 1));
        return m;
    }

    @Test
    void weightNormAndUpdateRatioPerWeightLayerInParameterOrder() {
        Map<String, INDArray> before = table(new float[]{3, 0, 0, 4}, new float[]{1, 1}, new float[]{1, 0});
        Map<String, INDArray> after = table(new float[]{3, 0, 0, 4.5f}, new float[]{9, 9}, new float[]{1, 0});
        EpochStats s = EpochStats.between(3, before, after, 0.25);
        assertEquals(3, s.epoch());
        assertEquals(0.25, s.seconds());
        assertEquals(List.of("0", "1"), s.layers().stream().map(LayerUpdate::layer).toList(), "biases are not layers");
        LayerUpdate first = s.layers().get(0);
        assertEquals(Math.sqrt(9 + 4.5 * 4.5), first.weightL2(), 1e-6);
        assertEquals(0.5 / 5.0, first.updateRatio(), 1e-6, "||dW|| / ||W before|| = 0.5 / 5");
        assertEquals(0.0, s.layers().get(1).updateRatio(), "unchanged weights");
        assertTrue(s.isFinite());
    }

    @Test
    void zeroWeightsBeforeDoNotDivideByZero() {
        Map<String, INDArray> before = table(new float[]{0, 0, 0, 0}, new float[]{0, 0}, new float[]{0, 0});
        Map<String, INDArray> after = table(new float[]{0, 0, 0, 1e-6f}, new float[]{0, 0}, new float[]{0, 0});
        EpochStats s = EpochStats.between(1, before, after, 0);
        assertTrue(s.isFinite());
        assertEquals(1e6, s.layers().get(0).updateRatio(), 1, "||dW|| / 1e-12");
    }

    @Test
    void aNonFiniteWeightIsReportedNotHidden() {
        Map<String, INDArray> before = table(new float[]{1, 0, 0, 1}, new float[]{0, 0}, new float[]{1, 1});
        Map<String, INDArray> after = table(new float[]{Float.NaN, 0, 0, 1}, new float[]{0, 0}, new float[]{1, 1});
        assertFalse(EpochStats.between(1, before, after, 0).isFinite());
    }

    @Test
    void tablesOfDifferentNetworksAreRejected() {
        Map<String, INDArray> before = table(new float[]{1, 0, 0, 1}, new float[]{0, 0}, new float[]{1, 1});
        Map<String, INDArray> after = new LinkedHashMap<>(before);
        after.put("2_W", Nd4j.ones(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochStats.between(1, before, after, 0));
        assertTrue(e.getMessage().contains("2_W"), e.getMessage());
    }

    @Test
    void aSnapshotDoesNotFollowTheNetworksBuffer() {
        Map<String, INDArray> live = table(new float[]{1, 0, 0, 1}, new float[]{0, 0}, new float[]{1, 1});
        Map<String, INDArray> copy = EpochStats.snapshot(live);
        live.get("0_W").addi(1);
        assertEquals(1.0, copy.get("0_W").getDouble(0, 0));
    }
}
