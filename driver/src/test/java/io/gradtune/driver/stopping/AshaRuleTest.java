package io.gradtune.driver.stopping;

import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class AshaRuleTest {

    private final AshaRule rule = new AshaRule(new AshaRule.Settings(1, 3), 30);

    @Test
    void rungsAreGeometricBelowMaxEpochs() {
        assertEquals(List.of(1, 3, 9, 27), rule.rungs());
        assertEquals(List.of(2, 4, 8), new AshaRule(new AshaRule.Settings(2, 2), 9).rungs());
    }

    @Test
    void firstTrialAtARungContinues() {
        assertFalse(rule.evaluate(accuracyCurve("t", 0.1), emptyStudy()).stops());
    }

    @Test
    void prunesTrialOutsideTopThirdAtRung() {
        var study = accuracyStudy(byTrial(accuracyCurve("a", 0.9), accuracyCurve("b", 0.8),
                accuracyCurve("c", 0.7), accuracyCurve("d", 0.6), accuracyCurve("e", 0.5)));
        Decision d = rule.evaluate(accuracyCurve("t", 0.75), study);
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("asha", d.rule());
        assertEquals(1, d.epoch());
        assertEquals(2.0, d.evidence().get("top_k"));
        assertEquals(0.8, d.evidence().get("cutoff"));
        assertEquals(6.0, d.evidence().get("trials_at_rung"));
    }

    @Test
    void promotesTrialInsideTopThirdAtRung() {
        var study = accuracyStudy(byTrial(accuracyCurve("a", 0.9), accuracyCurve("b", 0.8),
                accuracyCurve("c", 0.7), accuracyCurve("d", 0.6), accuracyCurve("e", 0.5)));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.85), study).stops());
    }

    @Test
    void judgesOnlyAtRungEpochs() {
        var study = accuracyStudy(byTrial(accuracyCurve("a", 0.9, 0.9, 0.9, 0.9),
                accuracyCurve("b", 0.9, 0.9, 0.9, 0.9), accuracyCurve("c", 0.9, 0.9, 0.9, 0.9)));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.95, 0.1), study).stops());
        assertTrue(rule.evaluate(accuracyCurve("t", 0.95, 0.1, 0.1), study).stops());
        assertFalse(rule.evaluate(accuracyCurve("t", 0.95, 0.1, 0.95, 0.1), study).stops());
    }

    @Test
    void comparesAgainstOtherTrialsAtTheSameRungOnly() {
        var study = accuracyStudy(byTrial(accuracyCurve("a", 0.2, 0.3, 0.99), accuracyCurve("b", 0.2, 0.3, 0.98)));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.3), study).stops());
    }

    @Test
    void neverJudgesAtMaxEpochs() {
        var short9 = new AshaRule(new AshaRule.Settings(1, 3), 9);
        var study = accuracyStudy(byTrial(accuracyCurve("a", 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9),
                accuracyCurve("b", 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)));
        assertFalse(short9.evaluate(accuracyCurve("t", 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1), study).stops());
    }

    @Test
    void settingsRejectReductionFactorOfOneNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AshaRule.Settings(1, 1));
        assertTrue(e.getMessage().startsWith("reduction_factor"), e.getMessage());
    }
}
