package io.gradtune.driver.diagnose;

import io.gradtune.driver.stopping.StoppingSettings;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

/** Diagnoses that depend on the dataset's chance level, and those of trials pruned after an epoch or two. */
class DiagnoserChanceTest {

    private static final double LN3 = Math.log(3);
    private static final ChanceLevel THREE_BALANCED = ChanceLevel.ofCounts(50, 50, 50);
    private static final ChanceLevel NINE_TO_ONE = ChanceLevel.ofCounts(900, 100);
    private static final ChanceLevel TWO_BALANCED = ChanceLevel.ofCounts(100, 100);

    private static Diagnoser at(ChanceLevel chance) {
        return new Diagnoser().withChance(chance);
    }

    /** A curve of (train loss, val loss, val accuracy) rows whose layers come from {@code layersAt(epoch)}. */
    private static List<EpochMetrics> curve(IntFunction<List<LayerStats>> layersAt, double[]... rows) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            out.add(epoch("t", i + 1, rows[i][0], rows[i][1], rows[i][2], layersAt.apply(i + 1)));
        }
        return out;
    }

    private static List<EpochMetrics> curve(double[]... rows) {
        return curve(e -> healthyLayers(3), rows);
    }

    private static Decision prune(String rule, int epoch) {
        return new Decision(Decision.Action.PRUNE, rule, epoch, "not in the top", Map.of());
    }

    @Test
    void netAnsweringTheMajorityClassOfImbalancedDataIsUnderfitting() {
        var c = curve(new double[]{0.69, 0.5, 0.9}, new double[]{0.45, 0.4, 0.9}, new double[]{0.36, 0.34, 0.9},
                new double[]{0.33, 0.33, 0.9});
        assertEquals(DiagnosisKind.HEALTHY, new Diagnoser().diagnose(c, null).primary(),
                "without the chance level the fixed 0.6 bound lets it pass");
        Diagnosis d = at(NINE_TO_ONE).diagnose(c, null);
        assertEquals(DiagnosisKind.UNDERFITTING, d.primary());
        assertEquals(0.9, (double) d.evidence().get("underfitting.majority_rate"), 1e-12);
        assertEquals(0.91, (double) d.evidence().get("underfitting.chance_band"), 1e-12);
        assertEquals(true, d.evidence().get("underfitting.at_chance"));
        assertTrue(d.summary().contains("chance"), d.summary());
    }

    @Test
    void netAboveTheMajorityRateOfImbalancedDataIsHealthy() {
        var c = curve(new double[]{0.5, 0.4, 0.92}, new double[]{0.3, 0.25, 0.95}, new double[]{0.2, 0.18, 0.96},
                new double[]{0.15, 0.15, 0.97});
        assertEquals(DiagnosisKind.HEALTHY, at(NINE_TO_ONE).diagnose(c, null).primary());
    }

    @Test
    void learningNetOnBalancedDataIsHealthy() {
        var c = curve(new double[]{1.0, 1.0, 0.6}, new double[]{0.6, 0.65, 0.8}, new double[]{0.4, 0.45, 0.88},
                new double[]{0.3, 0.35, 0.9});
        assertEquals(DiagnosisKind.HEALTHY, at(THREE_BALANCED).diagnose(c, null).primary());
    }

    @Test
    void slowLearnerBelowTheRelativeBoundIsUnderfittingButNotAtChance() {
        var c = curve(new double[]{0.69, 0.69, 0.6}, new double[]{0.67, 0.68, 0.62}, new double[]{0.65, 0.66, 0.64},
                new double[]{0.64, 0.65, 0.65});
        assertEquals(DiagnosisKind.HEALTHY, new Diagnoser().diagnose(c, null).primary());
        Diagnosis d = at(TWO_BALANCED).diagnose(c, null);
        assertEquals(DiagnosisKind.UNDERFITTING, d.primary());
        assertEquals(false, d.evidence().get("underfitting.at_chance"));
        assertEquals(0.7, (double) d.evidence().get("underfitting.accuracy_bound"), 1e-12);
    }

    @Test
    void ashaPruneAtEpochOneAtChanceWithUninformedLossIsUnderfitting() {
        var c = curve(new double[]{1.12, LN3 + 0.01, 1.0 / 3});
        assertEquals(DiagnosisKind.HEALTHY, new Diagnoser().diagnose(c, prune("asha", 1)).primary());
        Diagnosis d = at(THREE_BALANCED).diagnose(c, prune("asha", 1));
        assertEquals(DiagnosisKind.UNDERFITTING, d.primary());
        assertEquals("asha", d.evidence().get("stop.rule"));
        assertEquals(LN3, (double) d.evidence().get("underfitting.prior_loss"), 1e-12);
        assertTrue(d.summary().contains("pruned by asha at epoch 1"), d.summary());
    }

    @Test
    void medianPruneAtEpochTwoAtChanceIsUnderfitting() {
        var c = curve(new double[]{1.2, 1.15, 0.3}, new double[]{1.1, 1.1, 0.35});
        assertEquals(DiagnosisKind.UNDERFITTING, at(THREE_BALANCED).diagnose(c, prune("median", 2)).primary());
    }

    @Test
    void prunedAtChanceWhoseLossFellBelowThePriorLossIsStillLearning() {
        var c = curve(new double[]{1.0, 0.95, 0.36});
        assertEquals(DiagnosisKind.HEALTHY, at(THREE_BALANCED).diagnose(c, prune("asha", 1)).primary());
    }

    @Test
    void prunedAboveChanceIsHealthy() {
        var c = curve(new double[]{0.9, 0.8, 0.7});
        Diagnosis d = at(THREE_BALANCED).diagnose(c, prune("asha", 1));
        assertEquals(DiagnosisKind.HEALTHY, d.primary());
        assertEquals("asha", d.evidence().get("stop.rule"));
    }

    @Test
    void prunedAtEpochOneWithVanishingGradientsIsVanishingGradient() {
        var c = curve(e -> layers(7, i -> i == 6 ? 0.6 : 1e-10, 1e-11), new double[]{1.1, LN3, 1.0 / 3});
        Diagnosis d = at(THREE_BALANCED).diagnose(c, prune("asha", 1));
        assertEquals(DiagnosisKind.VANISHING_GRADIENT, d.primary());
        assertEquals(List.of(DiagnosisKind.VANISHING_GRADIENT, DiagnosisKind.UNDERFITTING), d.all());
        assertTrue(d.summary().contains("in its only epoch"), d.summary());
    }

    @Test
    void prunedAtEpochOneWithExplodingGradientsIsExplodingGradient() {
        var c = curve(e -> layers(3, i -> i == 0 ? 5e3 : 1.0, 1e-3), new double[]{1.1, LN3, 1.0 / 3});
        var d0 = StoppingSettings.defaults();
        var withMaxNorm = new StoppingSettings(d0.divergence(), new ExplodingGradientsRule.Settings(1e3, 2.0, 3),
                d0.vanishingGradients(), d0.plateau(), d0.median(), d0.asha());
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT,
                Diagnoser.forSettings(withMaxNorm).withChance(THREE_BALANCED).diagnose(c, prune("median", 1)).primary());
    }

    @Test
    void lossAboveTwiceAUniformGuessWhileAtChanceIsExplodingGradient() {
        var c = curve(new double[]{9.5, 7.0, 0.33});
        Diagnosis d = at(THREE_BALANCED).diagnose(c, prune("asha", 1));
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, d.primary(), d.summary());
        assertEquals(2 * LN3, (double) d.evidence().get("exploding_gradient.loss_bound"), 1e-12);
        assertTrue(d.all().contains(DiagnosisKind.UNDERFITTING));
    }

    @Test
    void lossAboveTwiceAUniformGuessThatLearnedAfterwardsIsNotExploding() {
        var c = curve(new double[]{9.5, 2.0, 0.5}, new double[]{0.6, 0.6, 0.8}, new double[]{0.4, 0.45, 0.88});
        assertFalse(at(THREE_BALANCED).diagnose(c, null).all().contains(DiagnosisKind.EXPLODING_GRADIENT));
    }

    @Test
    void chanceLevelKeepsTheConfiguredGradientThresholds() {
        var d0 = StoppingSettings.defaults();
        var settings = new StoppingSettings(d0.divergence(), new ExplodingGradientsRule.Settings(50.0, 2.0, 3),
                d0.vanishingGradients(), d0.plateau(), d0.median(), d0.asha());
        var c = curve(e -> layers(3, i -> i == 0 ? 80.0 : 1.0, 1e-3), new double[]{1.0, 0.9, 0.7},
                new double[]{0.8, 0.7, 0.8}, new double[]{0.6, 0.6, 0.85});
        Diagnosis d = Diagnoser.forSettings(settings).withChance(THREE_BALANCED).diagnose(c, null);
        assertEquals(DiagnosisKind.EXPLODING_GRADIENT, d.primary());
        assertEquals(50.0, d.evidence().get("exploding_gradient.max_norm"));
    }
}
