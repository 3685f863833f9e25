package io.gradtune.driver.diagnose;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ChanceLevelTest {

    @Test
    void balancedClassesHaveMajorityRateOneOverKAndPriorLossLnK() {
        ChanceLevel c = ChanceLevel.ofLabels(new int[]{0, 1, 2, 0, 1, 2}, 3);
        assertEquals(1.0 / 3, c.majorityRate(), 1e-12);
        assertEquals(3, c.classes());
        assertEquals(Math.log(3), c.priorLoss(), 1e-12);
        assertEquals(Math.log(3), c.uninformedLoss(), 1e-12);
    }

    @Test
    void imbalancedClassesHaveTheMajorityShareAndAPriorLossBelowLnK() {
        ChanceLevel c = ChanceLevel.ofCounts(900, 100);
        assertEquals(0.9, c.majorityRate(), 1e-12);
        assertEquals(-(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)), c.priorLoss(), 1e-12);
        assertTrue(c.priorLoss() < c.uninformedLoss());
    }

    @Test
    void bandIsTheMajorityRatePlusATenthOfTheHeadroom() {
        assertEquals(0.55, ChanceLevel.ofCounts(50, 50).band(), 1e-12);
        assertEquals(0.91, ChanceLevel.ofCounts(900, 100).band(), 1e-12);
        assertEquals(0.19, ChanceLevel.ofCounts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1).band(), 1e-12);
    }

    @Test
    void aClassWithoutValidationRowsStillCountsAsAClass() {
        ChanceLevel c = ChanceLevel.ofLabels(new int[]{0, 0, 1}, 3);
        assertEquals(3, c.classes());
        assertEquals(2.0 / 3, c.majorityRate(), 1e-12);
    }

    @Test
    void dataOfOneClassIsAllChance() {
        ChanceLevel c = ChanceLevel.ofCounts(7);
        assertEquals(1.0, c.majorityRate());
        assertEquals(1.0, c.band());
        assertEquals(0.0, c.priorLoss());
    }

    @Test
    void emptySplitsAndLabelsOutsideTheClassesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChanceLevel.ofLabels(new int[0], 2));
        assertThrows(IllegalArgumentException.class, () -> ChanceLevel.ofLabels(new int[]{0, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> new ChanceLevel(0.2, 2, 0.5));
    }
}
