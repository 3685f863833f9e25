package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.DivergenceRule;
import io.gradtune.worker.stopping.ExplodingGradientsRule;
import io.gradtune.worker.stopping.PlateauRule;
import io.gradtune.worker.stopping.VanishingGradientsRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class StoppingPolicyTest {

    private static StoppingRule fixed(Decision.Action action, String name) {
        return (curve, study) -> action == Decision.Action.CONTINUE ? Decision.CONTINUE
                : new Decision(action, name, 1, name, Map.of());
    }

    @Test
    void pruneWinsOverEarlierComplete() {
        var policy = StoppingPolicy.of(fixed(Decision.Action.COMPLETE, "plateau"),
                fixed(Decision.Action.PRUNE, "median"));
        assertEquals("median", policy.evaluate(accuracyCurve("t", 0.5), emptyStudy()).rule());
    }

    @Test
    void firstPruneInRuleOrderWins() {
        var policy = StoppingPolicy.of(fixed(Decision.Action.CONTINUE, "x"), fixed(Decision.Action.PRUNE, "divergence"),
                fixed(Decision.Action.PRUNE, "asha"));
        assertEquals("divergence", policy.evaluate(accuracyCurve("t", 0.5), emptyStudy()).rule());
    }

    @Test
    void completeWhenNoRulePrunes() {
        var policy = StoppingPolicy.of(fixed(Decision.Action.CONTINUE, "x"), fixed(Decision.Action.COMPLETE, "plateau"));
        assertEquals(Decision.Action.COMPLETE, policy.evaluate(accuracyCurve("t", 0.5), emptyStudy()).action());
    }

    @Test
    void noneNeverStopsEvenADivergedTrial() {
        assertFalse(StoppingPolicy.none().evaluate(lossCurve("t", 1.0, Double.NaN), emptyStudy()).stops());
    }

    @Test
    void defaultsHoldDivergenceExplodingVanishingPlateauAndAshaInOrder() {
        List<Class<?>> kinds = StoppingPolicy.defaults(30).rules().stream().<Class<?>>map(TestCurves::ruleClass).toList();
        assertEquals(List.of(DivergenceRule.class, ExplodingGradientsRule.class, VanishingGradientsRule.class,
                PlateauRule.class, AshaRule.class), kinds);
    }

    @Test
    void defaultsPruneDivergedTrialThatHasAlsoPlateaued() {
        List<EpochMetrics> curve = new java.util.ArrayList<>(
                accuracyCurve("t", 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5));
        curve.add(epoch("t", 13, Double.NaN, Double.NaN, 0.5, healthyLayers(3)));
        Decision d = StoppingPolicy.defaults(30).evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("divergence", d.rule());
    }

    @Test
    void defaultsCompletePlateauedHealthyTrial() {
        var curve = accuracyCurve("t", 0.5, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8);
        Decision d = StoppingPolicy.defaults(30).evaluate(curve, emptyStudy());
        assertEquals(Decision.Action.COMPLETE, d.action());
        assertEquals("plateau", d.rule());
    }

    @Test
    void theWorkerWaitsForVerdictsOnlyWhereAComparativeRuleDecides() {
        assertEquals(List.of(1, 3, 9, 27), StoppingPolicy.defaults(30).decisionEpochs(30));
        StoppingSettings median = new StoppingSettings(null, null, null, null,
                MedianStoppingRule.Settings.defaults(), new AshaRule.Settings(2, 4));
        assertEquals(List.of(2, 3, 4, 5), median.toPolicy(6).decisionEpochs(6));
        assertEquals(List.of(), StoppingSettings.none().toPolicy(30).decisionEpochs(30));
    }
}
