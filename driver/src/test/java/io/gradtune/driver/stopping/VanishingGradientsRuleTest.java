package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.VanishingGradientsRule;
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

    /**
     * Issue 11: a net whose gradients are all exactly zero (dead ReLU after epoch 1) learns nothing; its ratio is
     * 0/0, which used to be NaN, so no rule fired. Zero over zero counts as a ratio of 0 here.
     */
    @Test
    void prunesANetWhoseGradientsAreAllExactlyZero() {
        var dead = layerCurve("t1", 2, e -> layers(4, i -> 0.0, 0.0));
        assertEquals(0.0, VanishingGradientsRule.gradientRatio(dead.get(0)));
        Decision d = rule.evaluate(dead, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(0.0, d.evidence().get("grad_ratio"));
    }

    @Test
    void aZeroOutputGradientWithAMovingFirstLayerIsNoRatio() {
        var m = epoch("t1", 1, 1, 1, 0.5, layers(4, i -> i == 3 ? 0.0 : 0.5, 1e-3));
        assertTrue(Double.isNaN(VanishingGradientsRule.gradientRatio(m)));
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
