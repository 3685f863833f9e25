package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import io.gradtune.worker.stopping.PlateauRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class PlateauRuleTest {

    private final PlateauRule rule = new PlateauRule(new PlateauRule.Settings(3, 0.001));

    @Test
    void completesWhenNoImprovementForPatienceEpochs() {
        Decision d = rule.evaluate(accuracyCurve("t1", 0.5, 0.8, 0.79, 0.8, 0.7995), emptyStudy());
        assertEquals(Decision.Action.COMPLETE, d.action());
        assertEquals("plateau", d.rule());
        assertEquals(5, d.epoch());
        assertEquals(0.8, d.evidence().get("best_before"));
    }

    @Test
    void continuesWhileImprovingByMoreThanMinDelta() {
        assertFalse(rule.evaluate(accuracyCurve("t1", 0.5, 0.8, 0.79, 0.8, 0.802), emptyStudy()).stops());
    }

    @Test
    void continuesBeforePatienceEpochsHavePassed() {
        assertFalse(rule.evaluate(accuracyCurve("t1", 0.8, 0.7, 0.7), emptyStudy()).stops());
    }

    @Test
    void followsMinimizeDirectionForLossObjective() {
        StudyCurves lossStudy = new StudyCurves("val_loss", false, Map.of());
        List<EpochMetrics> falling = lossCurve("t1", 1.0, 0.8, 0.6, 0.4, 0.2);
        List<EpochMetrics> flat = lossCurve("t1", 1.0, 0.5, 0.6, 0.55, 0.5);
        assertFalse(rule.evaluate(falling, lossStudy).stops());
        assertEquals(Decision.Action.COMPLETE, rule.evaluate(flat, lossStudy).action());
    }

    @Test
    void settingsRejectNegativeMinDeltaNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PlateauRule.Settings(5, -1));
        assertTrue(e.getMessage().startsWith("min_delta"), e.getMessage());
    }
}
