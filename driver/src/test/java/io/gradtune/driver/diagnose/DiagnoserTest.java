package io.gradtune.driver.diagnose;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class DiagnoserTest {

    private final Diagnoser diagnoser = new Diagnoser();

    /** A curve of (train loss, val loss, val accuracy) triples with healthy layers. */
    private static List<EpochMetrics> curve(double[][] rows) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            out.add(epoch("t", i + 1, rows[i][0], rows[i][1], rows[i][2], healthyLayers(3)));
        }
        return out;
    }

    private static List<EpochMetrics> withLastLayers(List<EpochMetrics> c, List<LayerStats> layers) {
        List<EpochMetrics> out = new ArrayList<>(c.subList(0, c.size() - 1));
        EpochMetrics m = c.get(c.size() - 1);
        out.add(epoch("t", m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy(), layers));
        return out;
    }

    private static final double[][] GOOD = {{1.0, 1.0, 0.6}, {0.6, 0.65, 0.8}, {0.4, 0.45, 0.88}, {0.3, 0.35, 0.9}};

    @Test
    void healthyCurveIsHealthy() {
        Diagnosis d = diagnoser.diagnose(curve(GOOD), null);
        assertEquals(DiagnosisKind.HEALTHY, d.primary());
        assertEquals(List.of(DiagnosisKind.HEALTHY), d.all());
    }

    @Test
    void nonFiniteLossIsExplodingGradient() {
        var c = curve(new double[][]{{1.0, 1.0, 0.5}, {Double.NaN, Double.NaN, 0.1}});
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, diagnoser.diagnose(c, null).primary());
    }

    @Test
    void gradientNormAboveAConfiguredMaxNormIsExplodingGradient() {
        var c = withLastLayers(curve(GOOD), layers(3, i -> i == 0 ? 5e3 : 1.0, 1e-3));
        Diagnosis d = new Diagnoser(io.gradtune.worker.stopping.VanishingGradientsRule.Settings.defaults(),
                new io.gradtune.worker.stopping.ExplodingGradientsRule.Settings(1e3, 2, 3)).diagnose(c, null);
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, d.primary());
        assertEquals(5e3, d.evidence().get("exploding_gradient.grad_l2"));
        assertEquals(1e3, d.evidence().get("exploding_gradient.max_norm"));
    }

    @Test
    void aLargeFiniteGradientNormAloneIsNotExplodingByDefault() {
        // max_norm is opt-in: unscaled inputs give norms of 1e3-1e9 on nets that learn (issue 11)
        var c = withLastLayers(curve(GOOD), layers(3, i -> i == 0 ? 5e3 : 1.0, 1e-3));
        assertFalse(diagnoser.diagnose(c, null).all().contains(DiagnosisKind.EXPLODING_GRADIENT));
    }

    @Test
    void vanishingRatioAndFrozenFirstLayerIsVanishingGradient() {
        var c = layerCurve("t", 3, e -> layers(7, i -> i == 6 ? 0.6 : 1e-10, 1e-11));
        Diagnosis d = diagnoser.diagnose(c, null);
        assertEquals(DiagnosisKind.VANISHING_GRADIENT, d.primary());
        assertTrue(d.summary().startsWith("vanishing gradient: layer 0 / output gradient-norm ratio"), d.summary());
    }

    @Test
    void reluHeGradientsAreNotVanishing() {
        var c = layerCurve("t", 3, e -> layers(7, i -> i == 6 ? 0.75 : 0.6, 5e-4));
        assertFalse(diagnoser.diagnose(c, null).all().contains(DiagnosisKind.VANISHING_GRADIENT));
    }

    @Test
    void halfDeadHiddenLayerIsDeadUnits() {
        var layers = List.of(layer(0, "dense", "relu", 1.0, 1e-3, 0, 0, 0.6, null), layer(1, "dense", 1.0, 1e-3),
                layer(2, "output", 1.0, 1e-3));
        Diagnosis d = diagnoser.diagnose(withLastLayers(curve(GOOD), layers), null);
        assertEquals(DiagnosisKind.DEAD_UNITS, d.primary());
        assertEquals(0.6, d.evidence().get("dead_units.dead_fraction"));
    }

    @Test
    void deadFractionBelowHalfIsNotDeadUnits() {
        var layers = List.of(layer(0, "dense", "relu", 1.0, 1e-3, 0, 0, 0.4, null), layer(1, "dense", 1.0, 1e-3),
                layer(2, "output", 1.0, 1e-3));
        assertEquals(DiagnosisKind.HEALTHY, diagnoser.diagnose(withLastLayers(curve(GOOD), layers), null).primary());
    }

    @Test
    void saturatedHiddenLayerIsSaturation() {
        var layers = List.of(layer(0, "dense", "sigmoid", 1.0, 1e-3, 0, 0, null, 0.7), layer(1, "dense", 1.0, 1e-3),
                layer(2, "output", 1.0, 1e-3));
        assertEquals(DiagnosisKind.SATURATION, diagnoser.diagnose(withLastLayers(curve(GOOD), layers), null).primary());
    }

    @Test
    void risingValidationLossWithFallingTrainLossIsOverfitting() {
        var c = curve(new double[][]{{1.0, 1.0, 0.6}, {0.5, 0.5, 0.85}, {0.4, 0.52, 0.85}, {0.3, 0.55, 0.84},
                {0.2, 0.6, 0.83}});
        Diagnosis d = diagnoser.diagnose(c, null);
        assertEquals(DiagnosisKind.OVERFITTING, d.primary());
        assertEquals(3, d.evidence().get("overfitting.epochs_since_min"));
    }

    @Test
    void validationLossRisingOnlyTwoEpochsIsNotOverfitting() {
        var c = curve(new double[][]{{1.0, 1.0, 0.6}, {0.6, 0.6, 0.85}, {0.5, 0.5, 0.86}, {0.4, 0.55, 0.85},
                {0.3, 0.6, 0.84}});
        assertEquals(DiagnosisKind.HEALTHY, diagnoser.diagnose(c, null).primary());
    }

    @Test
    void barelyFallingLossAndLowAccuracyIsUnderfitting() {
        var c = curve(new double[][]{{1.1, 1.1, 0.34}, {1.05, 1.08, 0.36}, {1.0, 1.06, 0.38}, {0.98, 1.05, 0.4}});
        assertEquals(DiagnosisKind.UNDERFITTING, diagnoser.diagnose(c, null).primary());
    }

    @Test
    void zigzaggingValidationLossIsUnstable() {
        var c = curve(new double[][]{{1.0, 1.0, 0.6}, {0.8, 0.6, 0.7}, {0.6, 0.9, 0.65}, {0.5, 0.5, 0.75},
                {0.45, 0.8, 0.7}, {0.4, 0.45, 0.8}});
        assertEquals(DiagnosisKind.UNSTABLE, diagnoser.diagnose(c, null).primary());
    }

    @Test
    void primaryIsMostSevereAndAllAreListedInSeverityOrder() {
        var layers = List.of(layer(0, "dense", "relu", 1.0, 1e-3, 0, 0, 0.9, null), layer(1, "dense", 1.0, 1e-3),
                layer(2, "output", 1.0, 1e-3));
        var c = withLastLayers(curve(new double[][]{{1.0, 1.0, 0.6}, {0.5, 0.5, 0.85}, {0.4, 0.52, 0.85},
                {0.3, 0.55, 0.84}, {0.2, 0.6, 0.83}}), layers);
        Diagnosis d = diagnoser.diagnose(c, null);
        assertEquals(List.of(DiagnosisKind.DEAD_UNITS, DiagnosisKind.OVERFITTING), d.all());
        assertTrue(d.summary().startsWith("dead units:"), d.summary());
    }

    @Test
    void stopDecisionOfGradientRuleAddsItsKindAndEvidence() {
        var stop = new Decision(Decision.Action.PRUNE, "exploding_gradients", 4, "grew", Map.of());
        Diagnosis d = diagnoser.diagnose(curve(GOOD), stop);
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, d.primary());
        assertEquals("exploding_gradients", d.evidence().get("stop.rule"));
    }

    @Test
    void comparativePruneAloneLeavesCurveHealthy() {
        var stop = new Decision(Decision.Action.PRUNE, "asha", 1, "not top", Map.of());
        assertEquals(DiagnosisKind.HEALTHY, diagnoser.diagnose(curve(GOOD), stop).primary());
    }

    @Test
    void emptyCurveIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> diagnoser.diagnose(List.of(), null));
    }

    /**
     * A data-parallel trial's records ({@link LayerStats#averaged}: no gradient figures, NaN) of a learning net are
     * HEALTHY: the missing gradients are neither an explosion (max_norm set too) nor a vanished gradient.
     */
    @Test
    void averagedLayersWithoutGradientsOfALearningNetAreHealthy() {
        List<LayerStats> averaged = List.of(
                LayerStats.averaged(0, "0", "dense", "relu", 1e-3, 5, 0, 0, 0.0, null, 0.8),
                LayerStats.averaged(1, "1", "dense", "relu", 1e-3, 4, 0, 0, 0.0, null, 0.7),
                LayerStats.averaged(2, "2", "output", "softmax", 1e-3, 3, 0, 0, null, null, 0.2));
        List<EpochMetrics> c = new ArrayList<>();
        for (int i = 0; i < GOOD.length; i++) {
            c.add(epoch("t", i + 1, GOOD[i][0], GOOD[i][1], GOOD[i][2], averaged));
        }
        Diagnosis d = new Diagnoser(io.gradtune.worker.stopping.VanishingGradientsRule.Settings.defaults(),
                new io.gradtune.worker.stopping.ExplodingGradientsRule.Settings(1e3, 2, 3)).diagnose(c, null);
        assertEquals(List.of(DiagnosisKind.HEALTHY), d.all(), d.toString());
    }
}
