package io.gradtune.driver.rules;

import io.gradtune.driver.stopping.StudyCurves;
import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gradtune.driver.stopping.TestCurves.accuracyCurve;
import static io.gradtune.driver.stopping.TestCurves.accuracyStudy;
import static io.gradtune.driver.stopping.TestCurves.byTrial;
import static io.gradtune.driver.stopping.TestCurves.lossCurve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule written outside the stopping package decides as its Javadoc says. */
class BottomQuantileRuleTest {

    private final BottomQuantileRule rule = BottomQuantileRule.defaults();

    /** Five other trials whose val_accuracy at epoch 2 is 0.1 ... 0.5: the 25th percentile is 0.2. */
    private static Map<String, List<EpochMetrics>> fiveOthers() {
        return byTrial(accuracyCurve("a", 0.9, 0.1), accuracyCurve("b", 0.9, 0.2), accuracyCurve("c", 0.9, 0.3),
                accuracyCurve("d", 0.9, 0.4), accuracyCurve("e", 0.9, 0.5));
    }

    @Test
    void prunesBelowTheTwentyFifthPercentileWhenMaximizing() {
        StudyCurves study = accuracyStudy(fiveOthers());
        Decision d = rule.evaluate(accuracyCurve("t", 0.9, 0.15), study);
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(BottomQuantileRule.NAME, d.rule());
        assertEquals(2, d.epoch());
        assertEquals(0.2, d.evidence().get("cutoff"), 1e-12);
        assertEquals(5.0, d.evidence().get("trials"));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.9, 0.2), study).stops(), "at the cutoff is not below it");
        assertFalse(rule.evaluate(accuracyCurve("t", 0.9, 0.25), study).stops());
        // epoch 1: everyone at 0.9
        assertTrue(rule.evaluate(accuracyCurve("t", 0.85), study).stops());
        assertFalse(rule.evaluate(accuracyCurve("t", 0.9), study).stops());
    }

    @Test
    void interpolatesBetweenOrderStatistics() {
        // four others at 0.1 ... 0.4: position 0.25 x 3 = 0.75, cutoff 0.1 + 0.75 x 0.1 = 0.175
        StudyCurves study = accuracyStudy(byTrial(accuracyCurve("a", 0.1), accuracyCurve("b", 0.2),
                accuracyCurve("c", 0.3), accuracyCurve("d", 0.4)));
        Decision d = rule.evaluate(accuracyCurve("t", 0.17), study);
        assertTrue(d.stops());
        assertEquals(0.175, d.evidence().get("cutoff"), 1e-12);
        assertFalse(rule.evaluate(accuracyCurve("t", 0.18), study).stops());
    }

    @Test
    void prunesAboveTheSeventyFifthPercentileWhenMinimizing() {
        // train losses 1 ... 5 at epoch 1: the bad quarter starts above the 75th percentile, 4
        Map<String, List<EpochMetrics>> curves = byTrial(lossCurve("a", 1), lossCurve("b", 2), lossCurve("c", 3),
                lossCurve("d", 4), lossCurve("e", 5));
        StudyCurves study = new StudyCurves("train_loss", false, curves);
        Decision d = rule.evaluate(lossCurve("t", 4.5), study);
        assertEquals(Decision.Action.PRUNE, d.action());
        assertEquals(4.0, d.evidence().get("cutoff"), 1e-12);
        assertFalse(rule.evaluate(lossCurve("t", 3.9), study).stops());
        assertTrue(rule.evaluate(lossCurve("t", Double.NaN), study).stops(), "a diverged trial is the worst");
    }

    @Test
    void leavesTheTrialsOwnEntryOutOfTheOthers() {
        // the study already holds the evaluated trial's records (as the driver's study does): the cutoff is the
        // same as without them, and the trial is not counted among the others
        Map<String, List<EpochMetrics>> withOwn = new LinkedHashMap<>(fiveOthers());
        List<EpochMetrics> own = accuracyCurve("t", 0.9, 0.15);
        withOwn.put("t", own);
        Decision d = rule.evaluate(own, accuracyStudy(withOwn));
        assertTrue(d.stops());
        assertEquals(0.2, d.evidence().get("cutoff"), 1e-12);
        assertEquals(5.0, d.evidence().get("trials"));
    }

    @Test
    void waitsForEnoughOtherTrials() {
        Map<String, List<EpochMetrics>> three = byTrial(accuracyCurve("a", 0.8), accuracyCurve("b", 0.8),
                accuracyCurve("c", 0.8));
        assertFalse(rule.evaluate(accuracyCurve("t", 0.1), accuracyStudy(three)).stops());
        Map<String, List<EpochMetrics>> four = new LinkedHashMap<>(three);
        four.put("d", accuracyCurve("d", 0.8));
        assertTrue(rule.evaluate(accuracyCurve("t", 0.1), accuracyStudy(four)).stops());
        // trials that have not reached the epoch do not count
        List<EpochMetrics> t2 = new ArrayList<>(accuracyCurve("t", 0.9, 0.1));
        assertFalse(rule.evaluate(t2, accuracyStudy(four)).stops());
    }
}
