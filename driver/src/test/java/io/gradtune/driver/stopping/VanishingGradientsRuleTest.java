package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class VanishingGradientsRuleTest {

    private final VanishingGradientsRule rule = new VanishingGradientsRule(VanishingGradientsRule.Settings.defaults());

    /** Figures measured on a 6-hidden-layer sigmoid MLP with N(0, 0.01) init trained by SGD (see docs/stopping.md). */
    private static List<LayerStats> deepSigmoidSmallInit() {
        return layers(7, i -> i == 6 ? 0.6 : 6e-11 * Math.pow(10, i), 2e-11);
    }

    /** Figures measured on the same MLP with ReLU and He init. */
    private static List<LayerStats> deepReluHe() {
        return layers(7, i -> i == 6 ? 0.75 : 0.6, 5e-4);
    }

    @Test
    void prunesDeepSigmoidNetWithSmallInitAfterTwoEpochs() {
        List<EpochMetrics> curve = layerCurve("t1", 2, e -> deepSigmoidSmallInit());
        Decision d = rule.evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("vanishing_gradients", d.rule());
        assertTrue(d.reason().startsWith("layer 0 / output gradient-norm ratio 1e-10 < 1e-3 and layer-0 update ratio"
                + " 2e-11 < 1e-5 for 2 epochs"), d.reason());
        assertEquals(1e-10, d.evidence().get("grad_ratio"), 1e-12);
    }

    @Test
    void continuesAfterOnlyOneVanishingEpoch() {
        List<EpochMetrics> curve = layerCurve("t1", 2, e -> e == 1 ? deepReluHe() : deepSigmoidSmallInit());
        assertFalse(rule.evaluate(curve, emptyStudy()).stops());
    }

    @Test
    void doesNotFlagReluWithHeInit() {
        assertFalse(rule.evaluate(layerCurve("t1", 5, e -> deepReluHe()), emptyStudy()).stops());
    }

    @Test
    void doesNotFlagTinyGradientRatioWhileFirstLayerStillMoves() {
        var adamLike = layerCurve("t1", 3, e -> layers(7, i -> i == 6 ? 0.5 : 1e-9, 2e-3));
        assertFalse(rule.evaluate(adamLike, emptyStudy()).stops());
    }

    @Test
    void ignoresNetworksWithFewerThanThreeLayers() {
        var shallow = layerCurve("t1", 3, e -> layers(2, i -> i == 1 ? 1.0 : 1e-12, 1e-12));
        assertFalse(rule.evaluate(shallow, emptyStudy()).stops());
    }

    @Test
    void gradientRatioUsesLayerZeroOverOutputLayer() {
        var m = epoch("t1", 1, 1, 1, 0.5, layers(4, i -> i == 0 ? 0.002 : i == 3 ? 4.0 : 100.0, 1e-3));
        assertEquals(5e-4, VanishingGradientsRule.gradientRatio(m), 1e-12);
    }

    @Test
    void settingsRejectNonPositiveMinRatioNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new VanishingGradientsRule.Settings(0, 1e-5, 2));
        assertTrue(e.getMessage().startsWith("min_ratio"), e.getMessage());
    }
}
