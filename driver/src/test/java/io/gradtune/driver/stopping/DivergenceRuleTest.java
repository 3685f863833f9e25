package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.ClassPrior;
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

    /**
     * Issue 11: Fashion-MNIST, ReLU + Nadam 1: the mean gradient norm of layer 1 overflowed to Infinity while no entry
     * was NaN or infinite, and the message said "0 NaN and 0 infinite entries, gradient norm Infinity". It now says it
     * overflowed.
     */
    @Test
    void aNormThatOverflowsWithFiniteEntriesIsReportedAsAnOverflow() {
        var layers = List.of(layer(0, "dense", 4.16e17, 0.07), layer(1, "dense", Double.POSITIVE_INFINITY, 0.07),
                layer(2, "output", 1e15, 0.07));
        Decision d = rule.evaluate(List.of(epoch("t1", 1, 20.5, 24.9, 0.099, layers)), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("layer 1 gradient norm overflowed to Infinity although none of its entries is NaN or infinite"
                + " (the sum of their squares exceeds the largest double, about 1.8e308)", d.reason());
        assertEquals(1.0, d.evidence().get("overflow"));
        assertFalse(d.reason().contains("0 NaN"), d.reason());
    }

    /**
     * With the dataset's prior the reference is the larger of the first-epoch loss and the prior loss: a first epoch
     * that already reached a tiny loss (0.05 on breast cancer, prior loss 0.66) does not make 0.2 a divergence.
     */
    @Test
    void aTinyFirstLossIsNotTheReferenceWhenThePriorLossIsLarger() {
        var curve = lossCurve("t1", 0.05, 0.2);
        assertTrue(rule.evaluate(curve, emptyStudy()).stops(), "without the prior: 0.2 > 3 x 0.05");
        var withPrior = new DivergenceRule(DivergenceRule.Settings.defaults(), new ClassPrior(2, 0.66, 0.628));
        assertFalse(withPrior.evaluate(curve, emptyStudy()).stops());
        Decision d = withPrior.evaluate(lossCurve("t1", 0.05, 0.2, 2.5), emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(0.66, d.evidence().get("reference_loss"));
        assertTrue(d.reason().startsWith("train loss 2.5 > 3 x the prior loss 0.66 (larger than the first-epoch train"
                + " loss 0.05) (= 1.98)"), d.reason());
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
