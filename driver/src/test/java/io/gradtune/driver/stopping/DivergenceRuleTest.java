package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class DivergenceRuleTest {

    private final DivergenceRule rule = new DivergenceRule(DivergenceRule.Settings.defaults());

    @Test
    void prunesOnNanTrainLoss() {
        Decision d = rule.evaluate(lossCurve("t1", 1.0, Double.NaN), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("divergence", d.rule());
        assertEquals(2, d.epoch());
        assertTrue(d.reason().contains("NaN"), d.reason());
    }

    @Test
    void prunesOnInfiniteValidationLossInFirstEpoch() {
        var curve = List.of(epoch("t1", 1, 1.0, Double.POSITIVE_INFINITY, 0.3, healthyLayers(3)));
        assertEquals(Decision.Action.PRUNE, rule.evaluate(curve, emptyStudy()).action());
    }

    @Test
    void prunesOnLayerWithNanGradientEntries() {
        var layers = List.of(layer(0, "dense", 1.0, 1e-3), layer(1, "dense", "relu", 1.0, 1e-3, 4, 0, null, null),
                layer(2, "output", 1.0, 1e-3));
        Decision d = rule.evaluate(List.of(epoch("t1", 1, 1.0, 1.0, 0.3, layers)), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(1.0, d.evidence().get("layer"));
        assertEquals(4.0, d.evidence().get("nan_count"));
    }

    @Test
    void prunesOnNonFiniteGradientNorm() {
        var layers = List.of(layer(0, "dense", Double.POSITIVE_INFINITY, 1e-3), layer(1, "output", 1.0, 1e-3));
        assertTrue(rule.evaluate(List.of(epoch("t1", 1, 1.0, 1.0, 0.3, layers)), emptyStudy()).stops());
    }

    @Test
    void prunesWhenTrainLossExceedsThreeTimesFirstEpoch() {
        Decision d = rule.evaluate(lossCurve("t1", 1.0, 2.0, 3.5), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(3.5, d.evidence().get("train_loss"));
        assertEquals(3.0, d.evidence().get("loss_factor"));
        assertTrue(d.reason().contains("3.5 > 3 x first-epoch train loss 1"), d.reason());
    }

    @Test
    void continuesWhenTrainLossRisesLessThanFactor() {
        assertFalse(rule.evaluate(lossCurve("t1", 1.0, 2.0, 2.9), emptyStudy()).stops());
    }

    @Test
    void continuesOnHealthyFallingLoss() {
        assertFalse(rule.evaluate(lossCurve("t1", 2.0, 1.0, 0.5, 0.4), emptyStudy()).stops());
    }

    @Test
    void customLossFactorIsApplied() {
        var strict = new DivergenceRule(new DivergenceRule.Settings(1.5));
        assertTrue(strict.evaluate(lossCurve("t1", 1.0, 1.6), emptyStudy()).stops());
    }

    @Test
    void settingsRejectFactorNotAboveOneNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DivergenceRule.Settings(0.5));
        assertTrue(e.getMessage().startsWith("loss_factor"), e.getMessage());
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    }
}
