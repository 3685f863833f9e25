package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import org.junit.jupiter.api.Test;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class ExplodingGradientsRuleTest {

    private final ExplodingGradientsRule rule = new ExplodingGradientsRule(ExplodingGradientsRule.Settings.defaults());

    @Test
    void prunesWhenAnyLayerNormExceedsMaxNorm() {
        var curve = layerCurve("t1", 1, e -> layers(3, i -> i == 1 ? 1500.0 : 1.0, 1e-3));
        Decision d = rule.evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("exploding_gradients", d.rule());
        assertEquals(1.0, d.evidence().get("layer"));
        assertTrue(d.reason().contains("1500 > max_norm 1000"), d.reason());
    }

    @Test
    void prunesOnDoublingForThreeConsecutiveEpochs() {
        var curve = layerCurve("t1", 4, e -> layers(3, i -> Math.pow(2.5, e), 1e-3));
        Decision d = rule.evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(4, d.epoch());
        assertEquals(2.5, d.evidence().get("min_growth"), 1e-9);
    }

    @Test
    void continuesWhenGrowthStreakIsOnlyTwoEpochs() {
        double[] norms = {1.0, 1.0, 2.5, 6.25};
        var curve = layerCurve("t1", 4, e -> layers(3, i -> norms[e - 1], 1e-3));
        assertFalse(rule.evaluate(curve, emptyStudy()).stops());
    }

    @Test
    void continuesWhenGrowthIsBelowFactor() {
        var curve = layerCurve("t1", 6, e -> layers(3, i -> Math.pow(1.9, e), 1e-3));
        assertFalse(rule.evaluate(curve, emptyStudy()).stops());
    }

    @Test
    void continuesOnStableNorms() {
        assertFalse(rule.evaluate(layerCurve("t1", 6, e -> healthyLayers(4)), emptyStudy()).stops());
    }

    @Test
    void settingsRejectGrowthOfOneNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ExplodingGradientsRule.Settings(1e3, 1.0, 3));
        assertTrue(e.getMessage().startsWith("growth"), e.getMessage());
    }
}
