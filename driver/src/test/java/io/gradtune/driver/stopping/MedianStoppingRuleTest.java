package io.gradtune.driver.stopping;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gradtune.driver.stopping.TestCurves.*;
import static org.junit.jupiter.api.Assertions.*;

class MedianStoppingRuleTest {

    private final MedianStoppingRule rule = new MedianStoppingRule(new MedianStoppingRule.Settings(3, 3));

    /** Three finished trials whose running averages at epoch 3 are 0.6, 0.7 and 0.8 (median 0.7). */
    private static Map<String, List<EpochMetrics>> others() {
        return byTrial(accuracyCurve("a", 0.5, 0.6, 0.7, 0.75), accuracyCurve("b", 0.6, 0.7, 0.8, 0.85),
                accuracyCurve("c", 0.7, 0.8, 0.9, 0.92));
    }

    @Test
    void prunesTrialWhoseBestIsBelowMedianOfRunningAverages() {
        var mine = accuracyCurve("t", 0.5, 0.6, 0.65);
        Decision d = rule.evaluate(mine, accuracyStudy(others()));
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals("median", d.rule());
        assertEquals(3, d.epoch());
        assertEquals(0.7, d.evidence().get("median"), 1e-12);
        assertEquals(0.65, d.evidence().get("best"), 1e-12);
    }

    @Test
    void continuesWhenBestBeatsMedianThoughLatestEpochIsWorse() {
        var mine = accuracyCurve("t", 0.5, 0.72, 0.6);
        assertFalse(rule.evaluate(mine, accuracyStudy(others())).stops());
    }

    @Test
    void continuesDuringGracePeriod() {
        var mine = accuracyCurve("t", 0.1, 0.1);
        assertFalse(rule.evaluate(mine, accuracyStudy(others())).stops());
    }

    @Test
    void continuesWithTooFewOtherTrialsAtThisEpoch() {
        var curves = byTrial(accuracyCurve("a", 0.9, 0.9, 0.9), accuracyCurve("b", 0.9, 0.9, 0.9),
                accuracyCurve("c", 0.9, 0.9));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.1, 0.1, 0.1), accuracyStudy(curves)).stops());
    }

    @Test
    void excludesTheTrialItselfFromTheMedian() {
        var mine = accuracyCurve("t", 0.1, 0.1, 0.1);
        var curves = byTrial(accuracyCurve("a", 0.9, 0.9, 0.9), accuracyCurve("b", 0.9, 0.9, 0.9), mine);
        assertFalse(rule.evaluate(mine, accuracyStudy(curves)).stops());
    }

    @Test
    void followsMinimizeDirection() {
        var study = new StudyCurves("train_loss", false,
                byTrial(lossCurve("a", 1.0, 0.5, 0.3), lossCurve("b", 1.0, 0.6, 0.4), lossCurve("c", 1.0, 0.7, 0.5)));
        assertTrue(rule.evaluate(lossCurve("t", 1.0, 0.9, 0.8), study).stops());
        assertFalse(rule.evaluate(lossCurve("t", 1.0, 0.5, 0.4), study).stops());
    }

    @Test
    void settingsRejectZeroMinTrialsNamingField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MedianStoppingRule.Settings(3, 0));
        assertTrue(e.getMessage().startsWith("min_trials"), e.getMessage());
    }
}
